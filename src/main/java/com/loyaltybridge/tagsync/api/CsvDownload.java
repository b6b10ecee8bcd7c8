package com.loyaltybridge.tagsync.api;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A CSV download of an execution ({@code execution-42-rejected-users.csv}), streamed as
 * it is written: the API's and the console's are the same file.
 */
public final class CsvDownload {

    private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    private CsvDownload() {
    }

    public static ResponseEntity<StreamingResponseBody> of(long executionId, String name, Consumer<Writer> writer) {
        StreamingResponseBody body = out -> {
            Writer csv = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.accept(csv);
            csv.flush();
        };
        return ResponseEntity.ok()
            .contentType(CSV)
            .header(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment()
                        .filename("execution-" + executionId + "-" + name + ".csv")
                        .build()
                        .toString())
            .body(body);
    }

}
