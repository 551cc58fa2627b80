package dev.devloop.tools.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** A MongoDB outage is a 503 the caller may retry (Retry-After); a store refusal stays a 500. */
class StoreOutageMapperTest {
    private final StoreOutageMapper mapper = new StoreOutageMapper();

    @Test
    void anUnreachableStoreIsA503WithRetryAfter() {
        for (MongoException outage : new MongoException[] {
            new MongoTimeoutException("Timed out while waiting for a server"),
            new MongoSocketOpenException("Exception opening socket", new ServerAddress("127.0.0.1", 27017)),
            new MongoException("wrapped", new MongoTimeoutException("Timed out"))
        }) {
            Response response = mapper.store(outage);
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).isEqualTo(StoreOutageMapper.RETRY_AFTER_SECONDS);
            assertThat(String.valueOf(response.getEntity()))
                    .contains("store-unavailable")
                    .contains("\"status\":503");
        }
    }

    @Test
    void aStoreRefusalStaysA500() {
        Response response = mapper.store(new MongoException(11000, "E11000 duplicate key error"));
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaderString("Retry-After")).isNull();
        assertThat(String.valueOf(response.getEntity())).contains("store-failure");
    }
}
