package dev.devloop.scenarios;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A tenant's own Kafka client sending tasks the way the README tells a user to: an admin asks the gateway for a
 * producer grant ({@code POST /api/v1/event-grants}), then every record carries it in the {@code devloop-grant}
 * header, keyed by tenant. agent-service refuses task records without it.
 */
final class KafkaTasks implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String grantHeader;
    private final String grant;

    private KafkaTasks(String bootstrap, String topic, String grantHeader, String grant) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.grantHeader = grantHeader;
        this.grant = grant;
    }

    /** A producer for {@code topic} (the physical name, cell prefix included) with a grant the admin obtained. */
    static KafkaTasks granted(String gateway, String adminToken, String bootstrap, String topic) {
        var answer = given().baseUri(gateway)
                .header("Authorization", "Bearer " + adminToken)
                .contentType(ContentType.JSON)
                .body(Map.of("ttlSeconds", 3600))
                .when()
                .post("/api/v1/event-grants")
                .then()
                .statusCode(201)
                .extract();
        return new KafkaTasks(bootstrap, topic, answer.path("header"), answer.path("grant"));
    }

    /** Sends a task record for {@code tenant} and waits for the broker's acknowledgement. */
    RecordMetadata send(String tenant, String value, Map<String, String> extraHeaders) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, tenant, value);
        record.headers().add(grantHeader, grant.getBytes(StandardCharsets.UTF_8));
        extraHeaders.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        return producer.send(record).get(10, TimeUnit.SECONDS);
    }

    RecordMetadata send(String tenant, String value) throws Exception {
        return send(tenant, value, Map.of());
    }

    @Override
    public void close() {
        producer.close();
    }
}
