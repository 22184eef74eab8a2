package dev.sequin.tck;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over one socket, for the TCK only: it writes requests exactly as given
 * and reads responses byte for byte, so tests can see chunk boundaries and their timing, a HEAD
 * response's headers, pipelined and interim ({@code 100 Continue}) responses, and malformed
 * exchanges. Every read times out after {@link #READ_TIMEOUT_MILLIS}.
 *
 * <pre>{@code
 * try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
 *     c.send("GET /generator HTTP/1.1\r\nHost: localhost\r\n\r\n");
 *     RawResponse head = c.readHead();
 *     byte[] first = c.readChunk();     // null after the last chunk
 * }
 * }</pre>
 */
public final class RawConnection implements Closeable {

    /** How long any single read waits for the server before failing with a timeout. */
    public static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean chunkEndPending;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
    }

    /**
     * Connects with default socket buffers.
     *
     * @param host the server's address
     * @param port the server's port
     * @return the open connection
     * @throws IOException if the connection fails
     */
    public static RawConnection open(String host, int port) throws IOException {
        return open(host, port, 0);
    }

    /**
     * Connects, optionally with a small receive buffer (to keep the kernel from absorbing a
     * large body when a test reads slowly).
     *
     * @param host          the server's address
     * @param port          the server's port
     * @param receiveBuffer the socket receive buffer size in bytes, or {@code 0} for the default
     * @return the open connection
     * @throws IOException if the connection fails
     */
    public static RawConnection open(String host, int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
            return new RawConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Writes text as ISO-8859-1 bytes (HTTP's header encoding), in one write.
     *
     * @param text the bytes to send, for example a request head ending in a blank line
     * @return this
     * @throws IOException if the write fails
     */
    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Writes bytes in one write.
     *
     * @param bytes the bytes to send
     * @return this
     * @throws IOException if the write fails
     */
    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Sends a request and reads its response.
     *
     * @param request the whole request, head and body
     * @param method  the request's method, which decides whether the response has a body
     * @return the response
     * @throws IOException if reading fails or times out
     */
    public RawResponse exchange(String request, String method) throws IOException {
        send(request);
        return read(method);
    }

    /**
     * Reads one whole response, framed as RFC 9112 section 6 says: no body for HEAD, 1xx, 204
     * and 304; else chunked, else {@code Content-Length}, else up to the end of the connection.
     *
     * @param method the method of the request this response answers
     * @return the response
     * @throws IOException if reading fails or times out
     */
    public RawResponse read(String method) throws IOException {
        RawResponse head = readHead();
        int status = head.status();
        if (method.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return head;
        }
        if (head.chunked()) {
            List<byte[]> chunks = new ArrayList<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk()) {
                chunks.add(chunk);
                body.writeBytes(chunk);
            }
            return new RawResponse(status, head.headers(), body.toByteArray(), chunks);
        }
        String length = head.header("Content-Length");
        byte[] body = length == null ? readToEnd() : readExactly(Integer.parseInt(length.trim()));
        return new RawResponse(status, head.headers(), body, List.of());
    }

    /**
     * Reads a status line and header fields, and nothing of the body.
     *
     * @return the status and headers, with an empty body
     * @throws IOException if reading fails or times out, or the head is not HTTP/1.x
     */
    public RawResponse readHead() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new ProtocolException("not an HTTP/1.x status line: " + statusLine);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("malformed header line: " + line);
            }
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return new RawResponse(status, List.copyOf(headers), new byte[0], List.of());
    }

    /**
     * Reads the next chunk of a chunked body. It returns as soon as the chunk's data has arrived:
     * the CRLF that ends the data is checked at the next call, since a server may send it with
     * the next chunk (Jetty does).
     *
     * @return the chunk's data, or {@code null} for the last (empty) chunk, whose trailer
     *         section is consumed
     * @throws IOException if reading fails or times out, or the connection ends first
     */
    public byte[] readChunk() throws IOException {
        if (chunkEndPending && !readLine().isEmpty()) {
            throw new ProtocolException("chunk data not followed by CRLF");
        }
        chunkEndPending = false;
        String sizeLine = readLine();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailer fields are not used by the TCK
            }
            return null;
        }
        byte[] data = readExactly(size);
        chunkEndPending = true;
        return data;
    }

    /**
     * Reads up to the end of the connection.
     *
     * @return every byte the server sent before closing
     * @throws IOException if reading fails or times out
     */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n how many bytes to read
     * @return the bytes
     * @throws IOException if the connection ends first, or reading times out
     */
    public byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("connection ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** @return the local port of this connection, as the server sees the client's */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Closes the socket. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection ended in the middle of a line: " + line);
            }
            line.append((char) b);
        }
        if (line.isEmpty() || line.charAt(line.length() - 1) != '\r') {
            throw new ProtocolException("line not ended by CRLF: " + line);
        }
        return line.substring(0, line.length() - 1);
    }
}
