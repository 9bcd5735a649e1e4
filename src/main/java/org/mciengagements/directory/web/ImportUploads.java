package org.mciengagements.directory.web;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mciengagements.directory.DirectoryImport.Kind;
import org.mciengagements.directory.DirectoryImports;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.shared.Idempotency;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starting an import from an upload, the same for the API and the page: the request's fields are
 * checked before anything is read (400 naming each field), the file is spooled, and the import is
 * recorded and queued, under the caller's {@code Idempotency-Key} when there is one.
 */
@Component
class ImportUploads {

    /** What an upload sends besides its content. */
    record Request(String kind, String fileName, boolean filePresent, long declaredSize) {}

    private final DirectoryImports imports;
    private final Idempotency idempotency;
    private final ProgramClock clock;
    private final JsonMapper json;

    ImportUploads(DirectoryImports imports, Idempotency idempotency, ProgramClock clock, JsonMapper json) {
        this.imports = imports;
        this.idempotency = idempotency;
        this.clock = clock;
        this.json = json;
    }

    static void requireOperator(CurrentUser user) {
        if (!user.has(GlobalRole.PROGRAM_OPERATOR)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "OPERATOR_ROLE_REQUIRED", "problem.forbidden.operatorRole",
                    List.of(), List.of(), Map.of());
        }
    }

    /** Starts the import; the answer is 202 with the import, or what an earlier request with the same key got. */
    Idempotency.Response start(CurrentUser user, String idempotencyKey, Request request, InputStream content) {
        requireOperator(user);
        Kind kind = check(request);
        String fileName = fileName(request.fileName(), kind);
        try (DirectoryImports.Upload upload = imports.spool(content)) {
            if (upload.size() == 0) {
                throw ProblemException.badRequest("file", "EMPTY_FILE", "problem.directoryImport.emptyFile");
            }
            String fingerprint = "directory-import|" + kind + "|" + fileName + "|" + upload.sha256();
            return idempotency.execute(user.username(), idempotencyKey, fingerprint, clock.instant(), () ->
                    new Idempotency.Response(202, json.writeValueAsString(
                            imports.start(user.username(), kind, fileName, upload, clock.instant()))));
        }
    }

    /** The id of the import an answer of {@link #start} describes. */
    long importId(Idempotency.Response response) {
        return json.readTree(response.body()).get("id").asLong();
    }

    private static Kind check(Request request) {
        List<ProblemException.FieldProblem> problems = new ArrayList<>();
        Optional<Kind> kind = Kind.named(request.kind());
        if (request.kind() == null || request.kind().isBlank()) {
            problems.add(new ProblemException.FieldProblem("kind", "REQUIRED", "problem.field.required"));
        } else if (kind.isEmpty()) {
            problems.add(new ProblemException.FieldProblem("kind", "INVALID_VALUE", "problem.directoryImport.kind"));
        }
        if (!request.filePresent()) {
            problems.add(new ProblemException.FieldProblem("file", "REQUIRED", "problem.directoryImport.fileRequired"));
        } else if (request.declaredSize() == 0) {
            problems.add(new ProblemException.FieldProblem("file", "EMPTY_FILE", "problem.directoryImport.emptyFile"));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        return kind.orElseThrow();
    }

    /** The name the file is shown under: its last path segment, printable, at most 255 characters. */
    static String fileName(String given, Kind kind) {
        if (given == null) {
            return kind.fileName();
        }
        String name = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) {
            return kind.fileName();
        }
        return name.length() > 255 ? name.substring(0, 255) : name;
    }
}
