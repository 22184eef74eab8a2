package dev.sequin.tck;

import dev.sequin.Api;
import dev.sequin.Form;
import dev.sequin.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Routes that report the forms they parse, and one that reads a body as it arrives. */
final class FormRoutes {

    /** The upload limit {@code /form/small} sets before it reads the body. */
    static final long SMALL_LIMIT = 1024;

    /** How many bytes {@code /upload/first/{id}} reads before it reports to the probes. */
    static final int FIRST_BYTES = 5;

    private FormRoutes() {
    }

    static void register(Api api, Probes probes) {
        api.post("/form/echo", (req, resp) -> resp.setJson(report(req.form())));
        api.post("/form/small", (req, resp) -> resp.setJson(report(req.maxUploadBytes(SMALL_LIMIT).form())));
        api.post("/upload/first/{id}", (req, resp) -> {
            InputStream body = req.body();
            byte[] first = new byte[FIRST_BYTES];
            int got = 0;
            while (got < first.length) {
                int n = body.read(first, got, first.length - got);   // never a zero-length read: it may block
                if (n < 0) {
                    break;
                }
                got += n;
            }
            probes.counter((String) req.param("id")).incrementAndGet();
            long rest = body.transferTo(OutputStream.nullOutputStream());
            resp.setText("first " + new String(first, 0, got, StandardCharsets.US_ASCII) + ", then " + rest + " more bytes");
        });
    }

    private static Map<String, Object> report(Form form) throws IOException, NoSuchAlgorithmException {
        Map<String, Object> firsts = new LinkedHashMap<>();
        form.fields().keySet().forEach(name -> firsts.put(name, form.get(name)));
        List<Map<String, Object>> files = new ArrayList<>();
        for (UploadedFile file : form.files()) {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("name", file.name());
            described.put("filename", file.filename());
            described.put("contentType", file.contentType());
            described.put("size", file.size());
            described.put("sha256", sha256(file.bytes()));
            try (InputStream in = file.stream()) {
                described.put("streamSha256", sha256(in.readAllBytes()));
            }
            described.put("sameAsByName", form.file(file.name()) == file);
            files.add(described);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("fields", form.fields());
        report.put("first", firsts);
        report.put("files", files);
        return report;
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
