package dev.sequin.netty;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plain socket speaking HTTP/1.1 by hand, for what java.net.http.HttpClient hides. */
final class RawClient implements AutoCloseable {

    /** A response's status and headers, names lower-cased. */
    record Head(int status, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    /** A whole response. */
    record Response(Head head, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        this(port, 0, 0);
    }

    /**
     * @param receiveBuffer the socket's receive buffer size, or 0 for the default
     * @param sendBuffer    the socket's send buffer size, or 0 for the default
     */
    RawClient(int port, int receiveBuffer, int sendBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (sendBuffer > 0) {
            socket.setSendBufferSize(sendBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    InputStream in() {
        return in;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed; line so far: " + line);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    Head readHead() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not a status line: " + status);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(status.substring(9, 12)), headers);
    }

    byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new EOFException("connection closed after " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /** @return the data of the next chunk of a chunked body; empty for the last chunk (trailers skipped) */
    String readChunk() throws IOException {
        int size = Integer.parseInt(readLine().trim(), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailer fields
            }
            return "";
        }
        String data = new String(readBytes(size), StandardCharsets.ISO_8859_1);
        if (!readLine().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return data;
    }

    /** Reads a response to a request that may have a body (not HEAD). */
    Response readResponse() throws IOException {
        Head head = readHead();
        if (head.status() == 204 || head.status() == 304) {
            return new Response(head, "");
        }
        if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
            StringBuilder body = new StringBuilder();
            for (String chunk = readChunk(); !chunk.isEmpty(); chunk = readChunk()) {
                body.append(chunk);
            }
            return new Response(head, body.toString());
        }
        String length = head.header("Content-Length");
        if (length != null) {
            return new Response(head, new String(readBytes(Integer.parseInt(length)), StandardCharsets.ISO_8859_1));
        }
        return new Response(head, new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    /** @return whether the server closed the connection (end of stream, or reset) */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
