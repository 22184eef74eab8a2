package dev.sequin.undertow;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Raw-socket helpers for what {@link java.net.http.HttpClient} hides: framing, chunks, timing. */
final class RawHttp {

    static final int SOCKET_TIMEOUT_MILLIS = 5_000;

    private RawHttp() {
    }

    /** Connects to the loopback port with a read timeout, so no test can hang on a read. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
        return socket;
    }

    static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads a status line and headers, up to and including the empty line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** @return the value of the header in a response head, or null */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("expected " + length + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    /** Reads one chunk of a chunked body; returns null for the last (empty) chunk. */
    static byte[] readChunk(InputStream in) throws IOException {
        String sizeLine = readLine(in);
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            readLine(in);
            return null;
        }
        byte[] data = readExactly(in, size);
        if (!readLine(in).isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return data;
    }

    /** Reads a whole chunked body. */
    static String readChunkedBody(InputStream in) throws IOException {
        StringBuilder body = new StringBuilder();
        for (byte[] chunk = readChunk(in); chunk != null; chunk = readChunk(in)) {
            body.append(new String(chunk, StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** Reads until the server closes the connection (or the socket timeout fails the test). */
    static byte[] readToEnd(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a line: " + line);
            }
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                return line.substring(0, end);
            }
            line.append((char) b);
        }
    }
}
