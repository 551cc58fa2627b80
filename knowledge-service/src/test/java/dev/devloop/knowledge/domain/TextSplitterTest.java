package dev.devloop.knowledge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextSplitterTest {

    @Test
    void shortTextIsOneChunkAndBlankTextNone() {
        TextSplitter splitter = new TextSplitter(100, 10);
        assertThat(splitter.split("  Hello world.  ")).containsExactly("Hello world.");
        assertThat(splitter.split("   \n\n ")).isEmpty();
    }

    @Test
    void splitsAtParagraphsFirst() {
        String a = "First paragraph about whales and the deep ocean.";
        String b = "Second paragraph about deserts and dry heat.";
        List<String> chunks = new TextSplitter(60, 0).split(a + "\n\n" + b);
        assertThat(chunks).containsExactly(a, b);
    }

    @Test
    void fallsBackToSentencesThenWordsAndNeverExceedsTheSize() {
        String text = "One sentence here. Another sentence there. A third sentence follows. "
                + "Averyveryveryverylongwordwithoutanyspaceswhatsoeverthatmustbecut";
        List<String> chunks = new TextSplitter(30, 5).split(text);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(30));
        assertThat(String.join(" ", chunks)).contains("One sentence here.").contains("Another sentence there.");
        assertThat(chunks.get(0)).isEqualTo("One sentence here.");
    }

    @Test
    void consecutiveChunksOverlapByWholeWords() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append("word").append(i).append(' ');
        }
        List<String> chunks = new TextSplitter(50, 15).split(text.toString());
        assertThat(chunks).hasSizeGreaterThan(3);
        for (int i = 1; i < chunks.size(); i++) {
            String[] previous = chunks.get(i - 1).split(" ");
            String firstWord = chunks.get(i).split(" ")[0];
            assertThat(previous).contains(firstWord);
            assertThat(chunks.get(i).length()).isLessThanOrEqualTo(50);
        }
        for (int i = 0; i < 60; i++) {
            String w = "word" + i;
            assertThat(chunks).anySatisfy(c -> assertThat(c.split(" ")).contains(w));
        }
    }

    @Test
    void rejectsOverlapNotSmallerThanSize() {
        assertThatThrownBy(() -> new TextSplitter(10, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
