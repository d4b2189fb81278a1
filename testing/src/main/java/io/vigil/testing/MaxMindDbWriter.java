package io.vigil.testing;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB ({@code .mmdb}) files for tests, following the public MaxMind DB File Format
 * Specification 2.0 (https://maxmind.github.io/MaxMind-DB/): a binary search tree of nodes with two 24-bit
 * records each, a 16-byte data section separator, a data section of typed fields, then the metadata map
 * after the {@code \xAB\xCD\xEFMaxMind.com} marker. The tree is an IPv6 one (as GeoLite2-City is): IPv4
 * networks sit under {@code ::/96}, which is where readers look up IPv4 addresses.
 *
 * <p>Values may be {@link String}, {@link Double}, {@link Integer} (written as uint16), {@link Long} (uint32),
 * {@link BigInteger} (uint64), {@link Boolean}, {@link Map} with string keys and {@link List}: the Java types
 * a reader decodes those MaxMind types to. Only what tests need: no pointers, no deduplication of equal
 * values, networks must not overlap.
 */
public final class MaxMindDbWriter {
    private static final byte[] METADATA_MARKER = {
        (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
    };
    private static final int RECORD_SIZE = 24;
    private static final int TREE_DEPTH = 128;

    // spec "Output Data Section": type numbers; those above 7 are extended types
    private static final int TYPE_STRING = 2;
    private static final int TYPE_DOUBLE = 3;
    private static final int TYPE_UINT16 = 5;
    private static final int TYPE_UINT32 = 6;
    private static final int TYPE_MAP = 7;
    private static final int TYPE_UINT64 = 9;
    private static final int TYPE_ARRAY = 11;
    private static final int TYPE_BOOLEAN = 14;

    private final String databaseType;
    private final Node root = new Node();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    /** A node of the search tree; each side holds a child node, a data offset, or nothing. */
    private static final class Node {
        Node left;
        Node right;
        int leftData = -1;
        int rightData = -1;
        int number;
    }

    public MaxMindDbWriter(String databaseType) {
        this.databaseType = requireNonNull(databaseType, "databaseType is null");
    }

    /** Maps the network {@code address/prefixLength} (IPv4 or IPv6 literal) to {@code value}. */
    public MaxMindDbWriter insert(String address, int prefixLength, Object value) throws IOException {
        byte[] bytes = addressBytes(address);
        int bits = prefixLength;
        if (bytes.length == 4) {
            byte[] mapped = new byte[16];
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
            bits = prefixLength + 96;
        }
        if (bits < 1 || bits > TREE_DEPTH) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        int offset = data.size();
        writeValue(data, value);
        Node node = root;
        for (int bit = 0; bit < bits - 1; bit++) {
            boolean one = bit(bytes, bit);
            if (one) {
                if (node.rightData >= 0) {
                    throw new IllegalArgumentException("networks overlap at " + address + "/" + prefixLength);
                }
                if (node.right == null) {
                    node.right = new Node();
                }
                node = node.right;
            } else {
                if (node.leftData >= 0) {
                    throw new IllegalArgumentException("networks overlap at " + address + "/" + prefixLength);
                }
                if (node.left == null) {
                    node.left = new Node();
                }
                node = node.left;
            }
        }
        if (bit(bytes, bits - 1)) {
            if (node.right != null || node.rightData >= 0) {
                throw new IllegalArgumentException("networks overlap at " + address + "/" + prefixLength);
            }
            node.rightData = offset;
        } else {
            if (node.left != null || node.leftData >= 0) {
                throw new IllegalArgumentException("networks overlap at " + address + "/" + prefixLength);
            }
            node.leftData = offset;
        }
        return this;
    }

    /** The whole database file. */
    public byte[] toBytes() {
        List<Node> nodes = new ArrayList<>();
        // breadth first, so that the root is node 0
        List<Node> queue = new ArrayList<>();
        queue.add(root);
        for (int index = 0; index < queue.size(); index++) {
            Node node = queue.get(index);
            node.number = nodes.size();
            nodes.add(node);
            if (node.left != null) {
                queue.add(node.left);
            }
            if (node.right != null) {
                queue.add(node.right);
            }
        }
        int nodeCount = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node node : nodes) {
            writeRecord(out, record(node.left, node.leftData, nodeCount));
            writeRecord(out, record(node.right, node.rightData, nodeCount));
        }
        out.writeBytes(new byte[16]);
        out.writeBytes(data.toByteArray());
        out.writeBytes(METADATA_MARKER);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("node_count", (long) nodeCount);
        metadata.put("record_size", RECORD_SIZE);
        metadata.put("ip_version", 6);
        metadata.put("database_type", databaseType);
        metadata.put("languages", List.of("en"));
        metadata.put("binary_format_major_version", 2);
        metadata.put("binary_format_minor_version", 0);
        metadata.put("build_epoch", BigInteger.valueOf(1_767_225_600L));
        metadata.put("description", Map.of("en", "Vigil test database"));
        writeValue(out, metadata);
        return out.toByteArray();
    }

    public Path write(Path file) throws IOException {
        Files.write(file, toBytes());
        return file;
    }

    /**
     * A record's value (spec "Search Tree Section"): a node number below the node count, the node count
     * for "no data", and above it a pointer into the data section: node count + 16 + offset.
     */
    private static int record(Node child, int dataOffset, int nodeCount) {
        if (child != null) {
            return child.number;
        }
        if (dataOffset >= 0) {
            return nodeCount + 16 + dataOffset;
        }
        return nodeCount;
    }

    private static void writeRecord(ByteArrayOutputStream out, int value) {
        if (value >= 1 << RECORD_SIZE) {
            throw new IllegalStateException("record does not fit 24 bits: " + value);
        }
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static boolean bit(byte[] bytes, int index) {
        return ((bytes[index / 8] >> (7 - index % 8)) & 1) == 1;
    }

    /** An address literal's bytes; never a name lookup (IPv6 text with a colon is parsed, not resolved). */
    private static byte[] addressBytes(String address) throws IOException {
        if (address.matches("[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return InetAddress.getByName(address).getAddress();
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IP address literal: " + address);
        }
        byte[] bytes = new byte[4];
        for (int index = 0; index < 4; index++) {
            int octet = Integer.parseInt(parts[index]);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IP address literal: " + address);
            }
            bytes[index] = (byte) octet;
        }
        return bytes;
    }

    private static void writeValue(ByteArrayOutputStream out, Object value) {
        switch (value) {
            case String text -> {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                writeControl(out, TYPE_STRING, bytes.length);
                out.writeBytes(bytes);
            }
            case Double number -> {
                writeControl(out, TYPE_DOUBLE, 8);
                writeUnsigned(out, Double.doubleToLongBits(number), 8);
            }
            case Integer number -> writeUnsigned(out, TYPE_UINT16, number, 0xFFFFL);
            case Long number -> writeUnsigned(out, TYPE_UINT32, number, 0xFFFF_FFFFL);
            case BigInteger number -> writeUnsigned(out, TYPE_UINT64, number.longValueExact(), Long.MAX_VALUE);
            case Boolean flag -> {
                // a boolean's value is its size field (spec "boolean - 14")
                int size = 0;
                if (flag) {
                    size = 1;
                }
                writeControl(out, TYPE_BOOLEAN, size);
            }
            case Map<?, ?> map -> {
                writeControl(out, TYPE_MAP, map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    writeValue(out, (String) entry.getKey());
                    writeValue(out, entry.getValue());
                }
            }
            case List<?> list -> {
                writeControl(out, TYPE_ARRAY, list.size());
                for (Object element : list) {
                    writeValue(out, element);
                }
            }
            default -> throw new IllegalArgumentException("unsupported value type " + value.getClass());
        }
    }

    private static void writeUnsigned(ByteArrayOutputStream out, int type, long value, long maximum) {
        if (value < 0 || value > maximum) {
            throw new IllegalArgumentException("unsigned value out of range: " + value);
        }
        int length = unsignedLength(value);
        writeControl(out, type, length);
        writeUnsigned(out, value, length);
    }

    private static int unsignedLength(long value) {
        int length = 0;
        for (long rest = value; rest != 0; rest >>>= 8) {
            length++;
        }
        return length;
    }

    private static void writeUnsigned(ByteArrayOutputStream out, long value, int length) {
        for (int index = length - 1; index >= 0; index--) {
            out.write((int) (value >>> (8 * index)));
        }
    }

    /**
     * The control byte (spec "Data Field Format"): the type in the top three bits (0 for an extended type,
     * whose number minus 7 follows in the next byte) and the size in the low five bits; sizes from 29 on
     * take one to three more bytes.
     */
    private static void writeControl(ByteArrayOutputStream out, int type, int size) {
        int sizeBits;
        byte[] sizeBytes;
        if (size < 29) {
            sizeBits = size;
            sizeBytes = new byte[0];
        } else if (size < 29 + 256) {
            sizeBits = 29;
            sizeBytes = new byte[] {(byte) (size - 29)};
        } else if (size < 285 + 65_536) {
            sizeBits = 30;
            int rest = size - 285;
            sizeBytes = new byte[] {(byte) (rest >>> 8), (byte) rest};
        } else {
            sizeBits = 31;
            int rest = size - 65_821;
            sizeBytes = new byte[] {(byte) (rest >>> 16), (byte) (rest >>> 8), (byte) rest};
        }
        if (type <= 7) {
            out.write((type << 5) | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        out.writeBytes(sizeBytes);
    }

    /**
     * A GeoLite2-City-shaped record (the fields geo_info_from_ip_address reads), from the GeoIP2 City
     * database layout: {@code country.names.en}, {@code country.iso_code}, {@code subdivisions[0].names.en},
     * {@code city.names.en}, {@code location.latitude} and {@code location.longitude}.
     */
    public static Map<String, Object> cityRecord(
            String country, String isoCode, String subdivision, String city, double latitude, double longitude) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("city", Map.of("names", Map.of("en", city)));
        record.put("country", Map.of("iso_code", isoCode, "names", Map.of("en", country)));
        record.put("location", Map.of("latitude", latitude, "longitude", longitude, "accuracy_radius", 100));
        record.put("subdivisions", List.of(Map.of("names", Map.of("en", subdivision))));
        return record;
    }
}
