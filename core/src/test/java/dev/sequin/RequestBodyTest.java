package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequin.spi.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private static final String BOUNDARY = "----sequin-boundary";

    static byte[] multipart(String fieldName, String fieldValue, String fileField, String filename, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fieldName + "\"\r\n\r\n" + fieldValue + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    @Test
    void urlencodedFormsKeepRepeatedFields() {
        Api api = new Api();
        api.post("/", (req, resp) -> resp.setText(req.form().getAll("a") + " " + req.form().get("b") + " " + req.form().get("none")));
        try (TestClient client = api.client()) {
            Headers headers = new Headers().set("Content-Type", "application/x-www-form-urlencoded");
            TestResponse r = client.request("POST", "/", headers, "a=1&a=2&b=x+y%21".getBytes(StandardCharsets.US_ASCII));
            assertEquals("[1, 2] x y! null", r.text());
            TestResponse wrongType = client.post("/", "a=1");
            assertEquals(415, wrongType.statusCode());
        }
    }

    @Test
    void multipartFilesSpillToDiskAndAreDeletedWhenTheRequestEnds() {
        List<Path> spilled = new ArrayList<>();
        Api api = new Api();
        api.post("/", (req, resp) -> {
            Form form = req.form();
            UploadedFile file = form.file("upload");
            try (var in = file.stream()) {
                byte[] read = in.readAllBytes();
                resp.setText(form.get("title") + " " + file.filename() + " " + file.contentType() + " " + file.size()
                        + " " + (read.length == file.bytes().length) + " " + form.files().size());
            }
            try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                files.filter(p -> p.getFileName().toString().startsWith("upload_")).forEach(spilled::add);
            }
        });
        byte[] big = new byte[FormParser.IN_MEMORY_BYTES * 3];
        Arrays.fill(big, (byte) 'x');
        try (TestClient client = api.client()) {
            Headers headers = new Headers().set("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
            TestResponse r = client.request("POST", "/", headers, multipart("title", "héllo", "upload", "big.bin", big));
            assertEquals("héllo big.bin application/octet-stream " + big.length + " true 1", r.text());
            assertFalse(spilled.isEmpty(), "a file above the threshold is written to disk");
            spilled.forEach(path -> assertFalse(Files.exists(path), path + " is deleted after the request"));

            TestResponse malformed = client.request("POST", "/", headers, "not multipart at all".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, malformed.statusCode());
        }
    }

    @Test
    void multipartBodiesOverTheLimitGet413() {
        Api api = Api.builder().maxUploadBytes(1000).build();
        api.post("/", (req, resp) -> resp.setText("files: " + req.form().files().size()));
        try (TestClient client = api.client()) {
            Headers headers = new Headers().set("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
            TestResponse r = client.request("POST", "/", headers, multipart("a", "b", "f", "f.bin", new byte[5000]));
            assertEquals(413, r.statusCode());
        }
    }

    @Test
    void acceptOrdersByQualityThenSpecificity() {
        assertEquals(new Accepted("*/*", 1.0), AcceptHeader.match(null, "text/html").orElseThrow());
        String header = "text/*;q=0.5, text/html, application/json;q=0.9, */*;q=0.1, image/png;q=0";
        assertEquals(new Accepted("text/html", 1.0), AcceptHeader.match(header, "text/html").orElseThrow());
        assertEquals(new Accepted("application/json", 0.9), AcceptHeader.match(header, "application/json").orElseThrow());
        assertEquals(new Accepted("text/*", 0.5), AcceptHeader.match(header, "text/plain").orElseThrow());
        assertEquals(new Accepted("*/*", 0.1), AcceptHeader.match(header, "video/mp4").orElseThrow());
        assertTrue(AcceptHeader.match("text/html, image/png;q=0", "image/png").isEmpty());
        assertTrue(AcceptHeader.match("text/html", "application/json").isEmpty());
        assertEquals(new Accepted("text/html", 1.0), AcceptHeader.match("text/*, text/html", "text/html").orElseThrow());
    }
}
