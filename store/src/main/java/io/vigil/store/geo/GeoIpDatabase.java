package io.vigil.store.geo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A MaxMind DB file in the GeoLite2 / GeoIP2 City layout, answering KQL's {@code geo_info_from_ip_address}
 * (geo-info-from-ip-address-function): a bag of {@code country}, {@code state}, {@code city},
 * {@code latitude} and {@code longitude} from the record's {@code country.names.en},
 * {@code subdivisions[0].names.en}, {@code city.names.en} and {@code location}; fields the record lacks are
 * left out, and an address that is invalid or in no network gives the empty bag {@code {}}.
 *
 * <p>Two caches: the reader's own ({@link CHMCache}, decoded records by their place in the file, shared by
 * every address of a network) and one of answers by address text, so that an address repeated over many
 * rows is looked up once. The answer cache holds at most {@value #CACHED_ADDRESSES} addresses and is
 * emptied when full, which bounds its memory without bookkeeping per hit.
 */
public final class GeoIpDatabase implements AutoCloseable {
    static final int CACHED_ADDRESSES = 65_536;

    static final String EMPTY_BAG = "{}";

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final Path file;
    private final Reader reader;
    private final Map<String, String> answers = new ConcurrentHashMap<>();

    private GeoIpDatabase(Path file, Reader reader) {
        this.file = file;
        this.reader = reader;
    }

    /** Opens {@code file}; the reader checks its metadata now, so a file that is not a MaxMind DB fails here. */
    public static GeoIpDatabase open(Path file) throws IOException {
        requireNonNull(file, "file is null");
        return new GeoIpDatabase(file, new Reader(file.toFile(), new CHMCache()));
    }

    public Path file() {
        return file;
    }

    /** The database type its metadata names, such as {@code GeoLite2-City}. */
    public String databaseType() {
        return reader.getMetadata().getDatabaseType();
    }

    /** The geo bag of an address as JSON text; {@code {}} for null, invalid or unknown addresses. */
    public String lookup(String address) {
        if (address == null) {
            return EMPTY_BAG;
        }
        String cached = answers.get(address);
        if (cached != null) {
            return cached;
        }
        String answer = Optional.ofNullable(parse(address)).map(this::find).orElse(EMPTY_BAG);
        if (answers.size() >= CACHED_ADDRESSES) {
            answers.clear();
        }
        answers.put(address, answer);
        return answer;
    }

    int cachedAddresses() {
        return answers.size();
    }

    /**
     * An address literal, or null. IPv4 is matched here (dotted quad, no leading zeros); text with a colon
     * is given to {@link InetAddress}, which parses such text as an IPv6 literal and never resolves it as a
     * name. Anything else is not an address: no name is ever looked up.
     */
    static InetAddress parse(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                return InetAddress.getByName(text);
            }
            if (IPV6_CHARACTERS.matcher(text).matches()) {
                return InetAddress.getByName(text);
            }
        } catch (UnknownHostException invalid) {
            return null;
        }
        return null;
    }

    private String find(InetAddress address) {
        Map<?, ?> record;
        try {
            record = reader.get(address, Map.class);
        } catch (IllegalArgumentException ipv6InIpv4Database) {
            // an IPv4-only database has no IPv6 networks: the address has no location
            return EMPTY_BAG;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the GeoIP database " + file + " failed", e);
        }
        if (record == null) {
            return EMPTY_BAG;
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            string(json, "country", at(record, "country", "names", "en"));
            string(json, "state", at(firstSubdivision(record), "names", "en"));
            string(json, "city", at(record, "city", "names", "en"));
            number(json, "latitude", at(record, "location", "latitude"));
            number(json, "longitude", at(record, "location", "longitude"));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static Object firstSubdivision(Map<?, ?> record) {
        if (record.get("subdivisions") instanceof List<?> subdivisions && !subdivisions.isEmpty()) {
            return subdivisions.get(0);
        }
        return null;
    }

    private static Object at(Object value, String... keys) {
        Object current = value;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    private static void string(JsonGenerator json, String name, Object value) throws IOException {
        if (value instanceof String text) {
            json.writeStringField(name, text);
        }
    }

    private static void number(JsonGenerator json, String name, Object value) throws IOException {
        if (value instanceof Number number) {
            json.writeNumberField(name, number.doubleValue());
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
