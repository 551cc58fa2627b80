package dev.devloop.gateway.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.gateway.adapters.in.rest.ListShaper.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cursor pages over a downstream array: the streamed copy (all fields) and the tree (fields=) give the same pages. */
class ListShaperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] FIVE = """
      [{"type":"a","n":1,"x":{"deep":[1,2.5,"s"]}},{"type":"b","n":2,"x":null},{"type":"c","n":3,"x":"é\\"q"},
       {"type":"d","n":4,"x":true},{"type":"e","n":5,"x":[]}]""".getBytes(StandardCharsets.UTF_8);

    private static JsonNode page(byte[] body, int offset, int size, Set<String> fields, int downstreamMax)
            throws IOException {
        return JSON.readTree(ListShaper.listPage(
                JSON, body, null, new ListShaper.Page(offset, size, "0123456789abcdef"), fields, downstreamMax));
    }

    @Test
    void theFirstPageCarriesTheItemsVerbatimAndACursorToTheRest() throws IOException {
        JsonNode first = page(FIVE, 0, 2, null, Integer.MAX_VALUE);
        JsonNode all = JSON.readTree(FIVE);
        assertThat(first.get("items"))
                .isEqualTo(JSON.createArrayNode().add(all.get(0)).add(all.get(1)));
        assertThat(first.get("nextCursor").asText()).isEqualTo(ListShaper.cursor(2, "0123456789abcdef"));
    }

    @Test
    void theLastPageHasNoCursorAndAPagePastTheEndIsEmpty() throws IOException {
        JsonNode last = page(FIVE, 4, 2, null, Integer.MAX_VALUE);
        assertThat(last.get("items")).hasSize(1);
        assertThat(last.get("items").get(0).get("type").asText()).isEqualTo("e");
        assertThat(last.get("nextCursor").isNull()).isTrue();
        JsonNode past = page(FIVE, 9, 2, null, Integer.MAX_VALUE);
        assertThat(past.get("items")).isEmpty();
        assertThat(past.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void theStreamedCopyMatchesTheTreeWithEveryFieldSelected() throws IOException {
        Set<String> all = Set.of("type", "n", "x");
        for (int offset = 0; offset <= 5; offset++) {
            for (int size = 1; size <= 6; size++) {
                for (int max : new int[] {3, Integer.MAX_VALUE}) {
                    assertThat(page(FIVE, offset, size, null, max))
                            .as("offset %d size %d max %d", offset, size, max)
                            .isEqualTo(page(FIVE, offset, size, all, max));
                }
            }
        }
    }

    @Test
    void notAnArrayPassesThroughAndABrokenListFails() throws IOException {
        byte[] object = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(ListShaper.listPage(JSON, object, null, new ListShaper.Page(0, 2, "0123456789abcdef"), null, 10))
                .isEqualTo(object);
        byte[] broken = "[{\"a\":1},".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ListShaper.listPage(
                        JSON, broken, null, new ListShaper.Page(0, 2, "0123456789abcdef"), null, 10))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aPageWithEveryFieldIsTheServicesOwnBytesInsideTheEnvelope() throws IOException {
        byte[] spaced =
                "[ {\"a\":1.0E2,\"s\":\"\\u00e9\"} ,\n {\"a\":2} , {\"a\":3}\t]".getBytes(StandardCharsets.UTF_8);
        Page first = new ListShaper.Page(0, 2, "0123456789abcdef");
        assertThat(new String(ListShaper.listPage(JSON, spaced, null, first, null, 10), StandardCharsets.UTF_8))
                .isEqualTo("{\"items\":[{\"a\":1.0E2,\"s\":\"\\u00e9\"} ,\n {\"a\":2}],\"nextCursor\":\""
                        + ListShaper.cursor(2, "0123456789abcdef") + "\"}");
        Page rest = new ListShaper.Page(2, 5, "0123456789abcdef");
        assertThat(new String(ListShaper.listPage(JSON, spaced, null, rest, null, 10), StandardCharsets.UTF_8))
                .isEqualTo("{\"items\":[{\"a\":3}],\"nextCursor\":null}");
        byte[] scalars = "[\"x\",true,null,12,\"y\"]".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(
                        ListShaper.listPage(
                                JSON, scalars, null, new ListShaper.Page(1, 3, "0123456789abcdef"), null, 10),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"items\":[true,null,12],\"nextCursor\":\"" + ListShaper.cursor(4, "0123456789abcdef")
                        + "\"}");
    }
}
