package dev.sequin.jetty;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain socket speaking just enough HTTP/1.1 for tests to see what a library client hides:
 * exact bytes, chunk boundaries, missing bodies, truncation. Every read times out after 5 s.
 */
final class RawClient implements AutoCloseable {

    /** A status line and header fields as received. */
    record Head(int status, List<String> fields) {

        /** @return the first value of a header, ignoring case, or null */
        String header(String name) {
            for (String field : fields) {
                int colon = field.indexOf(':');
                if (field.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return field.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final InputStream in;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    static RawClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** @param bufferSize the socket's receive and send buffer sizes, or 0 for the defaults */
    static RawClient connect(int port, int bufferSize) throws IOException {
        Socket socket = new Socket();
        if (bufferSize > 0) {
            socket.setReceiveBufferSize(bufferSize);
            socket.setSendBufferSize(bufferSize);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        return new RawClient(socket);
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** @return the socket's output, for tests that write a body themselves */
    OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    Head readHead() throws IOException {
        String statusLine = readLine();
        List<String> fields = new ArrayList<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            fields.add(line);
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), fields);
    }

    byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new EOFException("got " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /**
     * Reads one chunk of a chunked body. The CRLF that ends a chunk may arrive only with the next
     * chunk (Jetty sends it ahead of the next size line), so it is consumed before the size.
     *
     * @return the chunk's data, or null for the last (empty) chunk
     */
    String readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine.isEmpty()) {
            sizeLine = readLine();
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            if (!readLine().isEmpty()) {
                throw new IOException("trailers are not expected");
            }
            return null;
        }
        return new String(readBytes(size), StandardCharsets.ISO_8859_1);
    }

    /** @return up to {@code max} bytes, as many as arrive in one read; -1 at end of stream */
    int read(byte[] into, int max) throws IOException {
        return in.read(into, 0, max);
    }

    /** @return whether the server closed the connection, reading nothing more */
    boolean atEnd() throws IOException {
        return in.read() < 0;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed mid-line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
