package dev.devloop.deploy.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key type of the H2 backend's index maps, with H2's own order computed without Java serialization.
 *
 * <p>An index key is a {@link KeyValue}, which is not {@link Comparable}: {@link ObjectDataType} orders such keys by
 * the bytes of their Java serialization, and serializes <em>both</em> keys on <em>every</em> comparison of a B-tree
 * search (an {@code ObjectOutputStream} each: ~30 % of the stand-in's request CPU on agent-service's step writes,
 * docs/scaling.md stop 34). For the keys a unique index holds in practice — one {@code String} ({@code _id} of every
 * collection of ours, single-field unique keys) or one {@code ObjectId} — the serialized forms share every byte up to
 * the value, so their byte order is computed here from the value alone: a string's modified-UTF-8 length (2 bytes,
 * big-endian) then its modified-UTF-8 bytes; an {@code ObjectId}'s 12 bytes. Any other pair goes to {@link
 * ObjectDataType} unchanged. The order is therefore H2's exactly (IndexKeyTypeTest checks it against {@link
 * ObjectDataType} pair by pair), keys are written and read as before, and existing data files open unchanged.
 */
final class IndexKeyType extends ObjectDataType {

  /** Java serialization writes strings longer than this as TC_LONGSTRING (8-byte length): left to H2. */
  private static final int SHORT_STRING_MAX_UTF = 0xFFFF;

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof KeyValue ka && b instanceof KeyValue kb && ka.size() == 1 && kb.size() == 1) {
      Object va = ka.get(0);
      Object vb = kb.get(0);
      if (va instanceof String sa && vb instanceof String sb) {
        int order = compareSerializedStrings(sa, sb);
        if (order != Integer.MIN_VALUE) {
          return order;
        }
      } else if (va instanceof ObjectId oa && vb instanceof ObjectId ob) {
        return compareUnsigned(oa.toByteArray(), ob.toByteArray());
      }
    }
    return super.compare(a, b);
  }

  /**
   * The order of {@code writeUTF}-style encodings (length first, then bytes), or {@link Integer#MIN_VALUE} when a
   * string is too long for that form.
   */
  static int compareSerializedStrings(String a, String b) {
    int lengthA = modifiedUtf8Length(a);
    int lengthB = modifiedUtf8Length(b);
    if (lengthA > SHORT_STRING_MAX_UTF || lengthB > SHORT_STRING_MAX_UTF) {
      return Integer.MIN_VALUE;
    }
    if (lengthA != lengthB) {
      return lengthA < lengthB ? -1 : 1;
    }
    // Same encoded length: the first differing char decides (its first byte differs whenever its encoded
    // length differs, and same-length encodings order as the chars do), with U+0000 (C0 80) between 7F and 80.
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      int wa = weight(a.charAt(i));
      int wb = weight(b.charAt(i));
      if (wa != wb) {
        return wa < wb ? -1 : 1;
      }
    }
    return Integer.compare(a.length(), b.length()); // equal prefixes and equal byte lengths: equal strings
  }

  private static int weight(char c) {
    if (c == 0) {
      return 0x80;
    }
    return c < 0x80 ? c : c + 1;
  }

  private static int modifiedUtf8Length(String s) {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x0001 && c <= 0x007F) {
        length += 1;
      } else if (c <= 0x07FF) {
        length += 2; // includes U+0000
      } else {
        length += 3;
      }
    }
    return length;
  }

  private static int compareUnsigned(byte[] a, byte[] b) {
    int order = java.util.Arrays.compareUnsigned(a, b);
    return Integer.signum(order);
  }
}
