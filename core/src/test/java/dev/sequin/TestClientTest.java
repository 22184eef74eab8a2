package dev.sequin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestClientTest {

    @Test
    void buildsEveryKindOfBody() {
        Api api = new Api();
        api.post("/form", (req, resp) -> resp.setText(req.form().fields() + " " + req.query("q") + " " + req.headers().get("X-Trace")));
        api.post("/json", (req, resp) -> resp.setText(req.json().get("n").asText()));
        api.post("/upload", (req, resp) -> {
            UploadedFile file = req.form().file("photo");
            resp.setText(req.form().get("title") + " " + file.filename() + " " + file.contentType() + " " + file.size());
        });
        api.put("/bytes", (req, resp) -> resp.setContent(req.content(), req.headers().get("Content-Type")));
        try (TestClient client = api.client()) {
            assertEquals("{a=[1, 2], b=[x y]} z&1 7", client.request("POST", "/form").query("q", "z&1").header("X-Trace", "7")
                    .field("a", "1").field("a", "2").form(Map.of("b", "x y")).send().text());
            assertEquals("5", client.request("POST", "/json").json(Map.of("n", 5)).send().text());
            assertEquals("Holiday beach.png image/png 3", client.request("POST", "/upload").field("title", "Holiday")
                    .file("photo", "beach.png", "image/png", new byte[] {1, 2, 3}).send().text());
            TestResponse bytes = client.request("PUT", "/bytes").body(new byte[] {9, 8}, "application/x-thing").send();
            assertArrayEquals(new byte[] {9, 8}, bytes.content());
            assertEquals("application/x-thing", bytes.headers().get("Content-Type"));
        }
    }

    @Test
    void followsRedirectsToTheAppOnly() {
        Api api = new Api();
        api.get("/a", (req, resp) -> resp.redirect("/b"));
        api.get("/b", (req, resp) -> resp.setText("b"));
        api.get("/out", (req, resp) -> resp.redirect("http://elsewhere.example/"));
        api.post("/see-other", (req, resp) -> resp.redirect("/b", 303));
        try (TestClient client = api.client()) {
            assertEquals("b", client.get("/a").text());
            assertEquals(307, client.get("/out").statusCode());
            assertEquals("b", client.post("/see-other", "x").text());
            assertEquals(307, client.followRedirects(false).get("/a").statusCode());
        }
    }

    @Test
    void aClosedClientRefusesRequests() {
        TestClient client = new Api().client();
        client.close();
        assertThrows(IllegalStateException.class, () -> client.get("/"));
    }
}
