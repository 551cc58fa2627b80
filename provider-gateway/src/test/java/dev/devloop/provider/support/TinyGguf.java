package dev.devloop.provider.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny but complete GGUF (v3) model of the {@code llama} architecture so tests can load and
 * run a real model through llama.cpp without downloading weights: 2 blocks, 64-wide embeddings,
 * random F32 weights from a fixed seed, and a SentencePiece-style ({@code tokenizer.ggml.model=llama})
 * vocabulary of {@code <unk>}, {@code <s>}, {@code </s>}, the ChatML markers, all 256 byte tokens
 * {@code <0x00>..<0xFF>} (so any text, any JSON, can be spelled) and a few dozen word pieces; plus a
 * ChatML chat template. It answers nonsense: it checks plumbing (loading, templating, sampling,
 * grammars), not quality.
 */
public final class TinyGguf {
    public static final String CHAT_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final int ALIGNMENT = 32;
    private static final int N_EMBD = 64;
    private static final int N_HEAD = 4;
    private static final int N_LAYER = 2;
    private static final int N_FF = 128;
    private static final int N_CTX = 1024;

    // GGUF metadata value types
    private static final int UINT32 = 4;
    private static final int INT32 = 5;
    private static final int FLOAT32 = 6;
    private static final int BOOL = 7;
    private static final int STRING = 8;
    private static final int ARRAY = 9;

    private TinyGguf() {}

    /** Writes the model to {@code file} (weights drawn from {@code seed}) and returns the file. */
    public static Path write(Path file, long seed) throws IOException {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        add(tokens, types, scores, "<unk>", 2, 0);
        add(tokens, types, scores, "<s>", 3, 0);
        add(tokens, types, scores, "</s>", 3, 0);
        add(tokens, types, scores, "<|im_start|>", 3, 0);
        add(tokens, types, scores, "<|im_end|>", 3, 0);
        for (int b = 0; b < 256; b++) {
            add(tokens, types, scores, String.format("<0x%02X>", b), 6, 0);
        }
        String[] pieces = {
            "\u2581",
            "\u2581the",
            "\u2581a",
            "\u2581is",
            "\u2581to",
            "\u2581and",
            "\u2581of",
            "\u2581in",
            "\u2581it",
            "\u2581svc",
            "\u2581slow",
            "\u2581fact",
            "\u2581store",
            "e",
            "t",
            "a",
            "o",
            "i",
            "n",
            "s",
            "r",
            "h",
            "l",
            "d",
            "c",
            "u",
            "m",
            "\u2581hello",
            "\u2581world",
            "\u2581answer",
            "ing",
            "ed",
            "er",
            "re",
            "on",
            "at"
        };
        for (int i = 0; i < pieces.length; i++) {
            add(tokens, types, scores, pieces[i], 1, -i - 1f);
        }
        int vocab = tokens.size();

        Map<String, Object[]> kv = new LinkedHashMap<>();
        kv.put("general.architecture", new Object[] {STRING, "llama"});
        kv.put("general.name", new Object[] {STRING, "devloop-tiny-test"});
        kv.put("general.alignment", new Object[] {UINT32, ALIGNMENT});
        kv.put("llama.context_length", new Object[] {UINT32, N_CTX});
        kv.put("llama.embedding_length", new Object[] {UINT32, N_EMBD});
        kv.put("llama.block_count", new Object[] {UINT32, N_LAYER});
        kv.put("llama.feed_forward_length", new Object[] {UINT32, N_FF});
        kv.put("llama.attention.head_count", new Object[] {UINT32, N_HEAD});
        kv.put("llama.attention.head_count_kv", new Object[] {UINT32, N_HEAD});
        kv.put("llama.rope.dimension_count", new Object[] {UINT32, N_EMBD / N_HEAD});
        kv.put("llama.attention.layer_norm_rms_epsilon", new Object[] {FLOAT32, 1e-5f});
        kv.put("llama.vocab_size", new Object[] {UINT32, vocab});
        kv.put("tokenizer.ggml.model", new Object[] {STRING, "llama"});
        kv.put("tokenizer.ggml.tokens", new Object[] {ARRAY, STRING, tokens});
        kv.put("tokenizer.ggml.scores", new Object[] {ARRAY, FLOAT32, scores});
        kv.put("tokenizer.ggml.token_type", new Object[] {ARRAY, INT32, types});
        kv.put("tokenizer.ggml.unknown_token_id", new Object[] {UINT32, 0});
        kv.put("tokenizer.ggml.bos_token_id", new Object[] {UINT32, 1});
        kv.put(
                "tokenizer.ggml.eos_token_id",
                new Object[] {UINT32, 4}); // <|im_end|> ends an answer, as in ChatML models
        kv.put("tokenizer.ggml.add_bos_token", new Object[] {BOOL, true});
        kv.put("tokenizer.ggml.add_eos_token", new Object[] {BOOL, false});
        kv.put("tokenizer.chat_template", new Object[] {STRING, CHAT_TEMPLATE});

        // tensors: name → dims (ne[0] first, as GGUF stores them)
        Map<String, long[]> tensors = new LinkedHashMap<>();
        tensors.put("token_embd.weight", new long[] {N_EMBD, vocab});
        tensors.put("output_norm.weight", new long[] {N_EMBD});
        tensors.put("output.weight", new long[] {N_EMBD, vocab});
        for (int l = 0; l < N_LAYER; l++) {
            String b = "blk." + l + ".";
            tensors.put(b + "attn_norm.weight", new long[] {N_EMBD});
            tensors.put(b + "attn_q.weight", new long[] {N_EMBD, N_EMBD});
            tensors.put(b + "attn_k.weight", new long[] {N_EMBD, N_EMBD});
            tensors.put(b + "attn_v.weight", new long[] {N_EMBD, N_EMBD});
            tensors.put(b + "attn_output.weight", new long[] {N_EMBD, N_EMBD});
            tensors.put(b + "ffn_norm.weight", new long[] {N_EMBD});
            tensors.put(b + "ffn_gate.weight", new long[] {N_EMBD, N_FF});
            tensors.put(b + "ffn_down.weight", new long[] {N_FF, N_EMBD});
            tensors.put(b + "ffn_up.weight", new long[] {N_EMBD, N_FF});
        }

        Buf head = new Buf();
        head.u32(0x46554747); // "GGUF"
        head.u32(3);
        head.u64(tensors.size());
        head.u64(kv.size());
        for (Map.Entry<String, Object[]> e : kv.entrySet()) {
            head.str(e.getKey());
            Object[] v = e.getValue();
            int type = (Integer) v[0];
            head.u32(type);
            if (type == ARRAY) {
                int elem = (Integer) v[1];
                List<?> items = (List<?>) v[2];
                head.u32(elem);
                head.u64(items.size());
                for (Object item : items) {
                    value(head, elem, item);
                }
            } else {
                value(head, type, v[1]);
            }
        }
        long offset = 0;
        List<Long> sizes = new ArrayList<>();
        for (Map.Entry<String, long[]> t : tensors.entrySet()) {
            head.str(t.getKey());
            head.u32(t.getValue().length);
            long n = 1;
            for (long d : t.getValue()) {
                head.u64(d);
                n *= d;
            }
            head.u32(0); // GGML_TYPE_F32
            head.u64(offset);
            long bytes = n * 4;
            sizes.add(n);
            offset += align(bytes);
        }
        head.pad();

        Random random = new Random(seed);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head.bytes());
            int i = 0;
            for (Map.Entry<String, long[]> t : tensors.entrySet()) {
                long n = sizes.get(i++);
                boolean norm = t.getKey().endsWith("norm.weight");
                ByteBuffer data = ByteBuffer.allocate((int) align(n * 4)).order(ByteOrder.LITTLE_ENDIAN);
                for (long k = 0; k < n; k++) {
                    data.putFloat(norm ? 1f : (float) (random.nextGaussian() * 0.5));
                }
                out.write(data.array());
            }
        }
        return file;
    }

    private static void add(
            List<String> tokens, List<Integer> types, List<Float> scores, String text, int type, float score) {
        tokens.add(text);
        types.add(type);
        scores.add(score);
    }

    private static void value(Buf b, int type, Object v) {
        switch (type) {
            case UINT32, INT32 -> b.u32((Integer) v);
            case FLOAT32 -> b.f32((Float) v);
            case BOOL -> b.u8((Boolean) v ? 1 : 0);
            case STRING -> b.str((String) v);
            default -> throw new IllegalArgumentException("type " + type);
        }
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A growing little-endian byte buffer. */
    private static final class Buf {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        void u8(int v) {
            room(1);
            buf.put((byte) v);
        }

        void u32(int v) {
            room(4);
            buf.putInt(v);
        }

        void u64(long v) {
            room(8);
            buf.putLong(v);
        }

        void f32(float v) {
            room(4);
            buf.putFloat(v);
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            room(b.length);
            buf.put(b);
        }

        void pad() {
            while (buf.position() % ALIGNMENT != 0) {
                u8(0);
            }
        }

        byte[] bytes() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }
}
