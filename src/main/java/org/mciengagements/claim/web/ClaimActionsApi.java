package org.mciengagements.claim.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import org.mciengagements.claim.ClaimActions;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.ProofDocuments;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Idempotency;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/** The partner's claim actions after consent: submit, dispute, cancel, and proof document downloads. */
@RestController
class ClaimActionsApi {

    private final ClaimActions actions;
    private final ClaimQueries claims;
    private final ProofDocuments documents;
    private final Idempotency idempotency;
    private final ProgramClock clock;
    private final JsonMapper json;

    ClaimActionsApi(ClaimActions actions, ClaimQueries claims, ProofDocuments documents, Idempotency idempotency,
                    ProgramClock clock, JsonMapper json) {
        this.actions = actions;
        this.claims = claims;
        this.documents = documents;
        this.idempotency = idempotency;
        this.clock = clock;
        this.json = json;
    }

    @PostMapping(path = "/api/v1/claims/{claimId}/submissions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<String> submit(CurrentUser user, @PathVariable long claimId,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                  @RequestParam(required = false) String executionDate,
                                  @RequestParam(required = false) String comments,
                                  @RequestParam(name = "files", required = false) List<MultipartFile> files) {
        user.requireIncentivesRole();
        LocalDate date = parseDate(executionDate);
        List<MultipartFile> parts = files == null ? List.of() : files;
        String fingerprint = "submission|" + claimId + "|" + executionDate + "|" + comments + "|" + fingerprint(parts);
        return respond(idempotency.execute(user.username(), key, fingerprint, clock.instant(), () -> {
            actions.submit(user, claimId, new ClaimActions.Submission(date, comments, uploads(parts)), clock.instant());
            return new Idempotency.Response(201, json.writeValueAsString(claim(user, claimId)));
        }));
    }

    @PostMapping(path = "/api/v1/claims/{claimId}/disputes", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<String> dispute(CurrentUser user, @PathVariable long claimId,
                                   @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                   @RequestParam(required = false) String reason,
                                   @RequestParam(name = "files", required = false) List<MultipartFile> files) {
        user.requireIncentivesRole();
        List<MultipartFile> parts = files == null ? List.of() : files;
        String fingerprint = "dispute|" + claimId + "|" + reason + "|" + fingerprint(parts);
        return respond(idempotency.execute(user.username(), key, fingerprint, clock.instant(), () -> {
            actions.dispute(user, claimId, reason, uploads(parts), clock.instant());
            return new Idempotency.Response(201, json.writeValueAsString(claim(user, claimId)));
        }));
    }

    record CancellationRequest(String reason) {}

    @PostMapping("/api/v1/claims/{claimId}/cancellation")
    ClaimView cancel(CurrentUser user, @PathVariable long claimId, @RequestBody CancellationRequest body) {
        actions.cancel(user, claimId, body.reason(), clock.instant());
        return claim(user, claimId);
    }

    @GetMapping("/api/v1/claims/{claimId}/documents/{documentId}")
    ResponseEntity<byte[]> document(CurrentUser user, @PathVariable long claimId, @PathVariable long documentId) {
        claim(user, claimId);
        return documents.content(claimId, documentId).asAttachment();
    }

    /** Multipart files as the claim module takes them: sizes first, content opened only when within the limit. */
    static List<ProofDocuments.Upload> uploads(List<MultipartFile> files) {
        return files.stream().filter(f -> !(f.isEmpty() && (f.getOriginalFilename() == null || f.getOriginalFilename().isEmpty())))
                .map(f -> new ProofDocuments.Upload(f.getOriginalFilename(), f.getSize(), f::getInputStream))
                .toList();
    }

    static LocalDate parseDate(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("executionDate", "INVALID_DATE", "claim.submit.executionDate.invalid");
        }
    }

    private static String fingerprint(List<MultipartFile> files) {
        StringBuilder text = new StringBuilder();
        for (MultipartFile file : files) {
            text.append(file.getOriginalFilename()).append(':').append(file.getSize()).append(':');
            if (file.getSize() <= ProofDocuments.MAX_BYTES) {
                try {
                    text.append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.getBytes())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            text.append(';');
        }
        return text.toString();
    }

    private static ResponseEntity<String> respond(Idempotency.Response response) {
        return ResponseEntity.status(response.status()).contentType(MediaType.APPLICATION_JSON).body(response.body());
    }

    private ClaimView claim(CurrentUser user, long claimId) {
        return claims.find(claimId, ClaimsApi.scope(user))
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound", String.valueOf(claimId)));
    }
}
