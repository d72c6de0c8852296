package dev.crossprop.job.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The local addresses of listening TCP sockets, read from Linux's {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (the tables that {@code ss -ltn} prints), so a test can check where a
 * server listens without an external tool.
 */
final class ListeningSockets {

    /** Value of the {@code st} column for a socket in the LISTEN state. */
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** Returns the addresses that listen on {@code port}, IPv4 and IPv6; empty when none does. */
    static List<InetAddress> addressesOf(int port) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            // The first line is the header: sl local_address rem_address st ...
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (fields[3].equals(LISTEN) && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(decodeAddress(local[0]));
                }
            }
        }
        return addresses;
    }

    /**
     * Decodes the hexadecimal address of a {@code /proc/net} table: 4 or 16 bytes, written as
     * 32-bit words in the machine's byte order, little-endian on x86 and most ARM Linux systems.
     */
    private static InetAddress decodeAddress(String hex) throws IOException {
        byte[] words = HexFormat.of().parseHex(hex);
        byte[] address = new byte[words.length];
        for (int word = 0; word < words.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = words[word + 3 - i];
            }
        }
        return InetAddress.getByAddress(address);
    }
}
