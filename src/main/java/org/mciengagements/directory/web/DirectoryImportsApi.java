package org.mciengagements.directory.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.mciengagements.directory.DirectoryImports;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.Idempotency;
import org.mciengagements.shared.ProblemException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Directory imports for operators. {@code POST} takes the file either as multipart ({@code kind},
 * {@code file}; within the service's general multipart limit of 110 MB) or, for files of any size up
 * to {@code mci.directory.import.max-file-size}, as the raw request body ({@code Content-Type:
 * text/csv}, {@code ?kind=…&fileName=…}), streamed to disk as it arrives. Either way the answer is
 * 202 with the import and its {@code Location}; progress and the report are read from there.
 */
@RestController
@RequestMapping("/api/v1/admin/directory/imports")
class DirectoryImportsApi {

    static final String CSV = "text/csv";

    private final ImportUploads uploads;
    private final DirectoryImports imports;

    DirectoryImportsApi(ImportUploads uploads, DirectoryImports imports) {
        this.uploads = uploads;
        this.imports = imports;
    }

    record ImportList(List<DirectoryImports.ImportView> items, String nextCursor) {}

    record ProblemList(List<DirectoryImports.ProblemRow> items, String nextCursor) {}

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<String> upload(CurrentUser user, @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                  @RequestParam(required = false) String kind,
                                  @RequestParam(required = false) MultipartFile file) {
        boolean present = file != null && !(file.isEmpty() && (file.getOriginalFilename() == null
                || file.getOriginalFilename().isEmpty()));
        var request = new ImportUploads.Request(kind, present ? file.getOriginalFilename() : null, present,
                present ? file.getSize() : -1);
        try (InputStream content = present ? file.getInputStream() : InputStream.nullInputStream()) {
            return accepted(uploads.start(user, key, request, content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PostMapping(consumes = CSV)
    ResponseEntity<String> uploadCsv(CurrentUser user, @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                     @RequestParam(required = false) String kind,
                                     @RequestParam(required = false) String fileName, HttpServletRequest http) {
        var request = new ImportUploads.Request(kind, fileName, true, http.getContentLengthLong());
        try {
            return accepted(uploads.start(user, key, request, http.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping
    ImportList list(CurrentUser user, @RequestParam(required = false) String cursor,
                    @RequestParam(required = false) Integer limit) {
        ImportUploads.requireOperator(user);
        Cursor.Page<DirectoryImports.ImportView> page = imports.list(Cursor.decode(cursor, "cursor"), Cursor.limit(limit));
        return new ImportList(page.items(), page.nextCursor());
    }

    @GetMapping("/{importId}")
    DirectoryImports.ImportView one(CurrentUser user, @PathVariable long importId) {
        ImportUploads.requireOperator(user);
        return find(importId);
    }

    @GetMapping("/{importId}/problems")
    ProblemList problems(CurrentUser user, @PathVariable long importId, @RequestParam(required = false) String cursor,
                         @RequestParam(required = false) Integer limit) {
        ImportUploads.requireOperator(user);
        find(importId);
        Cursor.Page<DirectoryImports.ProblemRow> page = imports.problems(importId, Cursor.decode(cursor, "cursor"),
                Cursor.limit(limit));
        return new ProblemList(page.items(), page.nextCursor());
    }

    @GetMapping("/{importId}/problems.csv")
    ResponseEntity<String> problemsCsv(CurrentUser user, @PathVariable long importId) {
        ImportUploads.requireOperator(user);
        return ReportCsv.download(imports, find(importId));
    }

    private DirectoryImports.ImportView find(long importId) {
        return imports.find(importId).orElseThrow(() -> ProblemException.notFound("IMPORT_NOT_FOUND",
                "problem.directoryImport.notFound", String.valueOf(importId)));
    }

    private ResponseEntity<String> accepted(Idempotency.Response response) {
        return ResponseEntity.status(response.status())
                .location(URI.create("/api/v1/admin/directory/imports/" + uploads.importId(response)))
                .contentType(MediaType.APPLICATION_JSON).body(response.body());
    }
}
