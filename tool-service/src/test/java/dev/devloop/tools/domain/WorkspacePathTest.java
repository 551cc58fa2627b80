package dev.devloop.tools.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lexical path rules of the workspace, before any filesystem access. */
class WorkspacePathTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../secret",
                "notes/../../secret",
                "a/..",
                "..",
                "/etc/passwd",
                "~/x",
                "~root/x",
                "C:/Windows/win.ini",
                "c:x",
                "%2e%2e/secret",
                "..%2fsecret",
                "%2E%2E%2Fsecret",
                "..\\secret",
                "a\\b",
                "a/\u0000b",
                "a/\nb"
            })
    void attacksAreRefused(String raw) {
        assertThatThrownBy(() -> WorkspacePath.parse(raw, 100, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void harmlessPathsAreNormalised() {
        assertThat(WorkspacePath.parse("./notes//today.md", 100, false).segments())
                .containsExactly("notes", "today.md");
        assertThat(WorkspacePath.parse("a..b/...", 100, false).segments()).containsExactly("a..b", "...");
        assertThat(WorkspacePath.parse(null, 100, true).isRoot()).isTrue();
        assertThat(WorkspacePath.parse(".", 100, true).isRoot()).isTrue();
    }

    @Test
    void lengthAndEmptinessAreBounded() {
        assertThatThrownBy(() -> WorkspacePath.parse("a".repeat(101), 100, false))
                .hasMessageContaining("at most 100");
        assertThatThrownBy(() -> WorkspacePath.parse(".", 100, false)).hasMessageContaining("name a file");
        assertThatThrownBy(() -> WorkspacePath.parse(" ", 100, false)).hasMessageContaining("required");
    }
}
