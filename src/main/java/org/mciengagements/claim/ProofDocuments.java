package org.mciengagements.claim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Proof documents of submissions and disputes: checked by their content (never their name),
 * limited in size and number, and stored in the database with the submission that carries them.
 */
@Component
public class ProofDocuments {

    public static final int MAX_FILES = 10;
    public static final long MAX_BYTES = 10L * 1024 * 1024;

    /** The document types the program accepts, recognised by their first bytes or ZIP structure. */
    public enum Type {
        PDF("application/pdf"),
        PNG("image/png"),
        JPEG("image/jpeg"),
        DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        public final String mediaType;

        Type(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    /** What a set of documents came with. */
    public enum Kind { SUBMISSION, RESUBMISSION, DISPUTE }

    /** One uploaded file as the web layer received it; {@code open} is called only for files within the limit. */
    public record Upload(String name, long size, Opener open) {}

    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** A file that passed the checks, read into memory. */
    public record Accepted(String name, Type type, byte[] content) {}

    /** The outcome of checking a set of uploads: the accepted files, or every problem found. */
    public record Checked(List<Accepted> files, List<FieldProblem> problems) {}

    /** A document with its bytes, for download. */
    public record Content(String fileName, String contentType, byte[] bytes) {

        /**
         * The document as an attachment with the type its content was recognised as; browsers must
         * not sniff it into something else, and nothing caches it.
         */
        public ResponseEntity<byte[]> asAttachment() {
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(contentType))
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                            .filename(fileName, StandardCharsets.UTF_8).build().toString())
                    .header("X-Content-Type-Options", "nosniff")
                    .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                    .body(bytes);
        }
    }

    private final JdbcClient jdbc;

    ProofDocuments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Checks every upload; problems name the file by its position ({@code files[2]}) and its name. */
    public static Checked check(List<Upload> uploads) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Accepted> accepted = new ArrayList<>();
        if (uploads.size() > MAX_FILES) {
            problems.add(new FieldProblem("files", "TOO_MANY_FILES", "claim.files.tooMany",
                    List.of(uploads.size(), MAX_FILES)));
            return new Checked(List.of(), problems);
        }
        for (int i = 0; i < uploads.size(); i++) {
            Upload upload = uploads.get(i);
            String field = "files[" + i + "]";
            String name = displayName(upload.name());
            if (upload.size() > MAX_BYTES) {
                problems.add(new FieldProblem(field, "FILE_TOO_LARGE", "claim.files.tooLarge",
                        List.of(name, megabytes(upload.size()), MAX_BYTES / (1024 * 1024))));
                continue;
            }
            byte[] content;
            try (InputStream in = upload.open().open()) {
                content = in.readNBytes((int) MAX_BYTES + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (content.length == 0) {
                problems.add(new FieldProblem(field, "EMPTY_FILE", "claim.files.empty", List.of(name)));
            } else if (content.length > MAX_BYTES) {
                problems.add(new FieldProblem(field, "FILE_TOO_LARGE", "claim.files.tooLarge",
                        List.of(name, megabytes(content.length), MAX_BYTES / (1024 * 1024))));
            } else {
                Optional<Type> type = detect(content);
                if (type.isEmpty()) {
                    problems.add(new FieldProblem(field, "UNSUPPORTED_FILE_TYPE", "claim.files.unsupported", List.of(name)));
                } else {
                    accepted.add(new Accepted(name, type.get(), content));
                }
            }
        }
        return new Checked(problems.isEmpty() ? accepted : List.of(), problems);
    }

    /** What a file is, judged by its bytes only. */
    public static Optional<Type> detect(byte[] content) {
        if (startsWith(content, "%PDF-".getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Type.PDF);
        }
        if (startsWith(content, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
            return Optional.of(Type.PNG);
        }
        if (startsWith(content, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return Optional.of(Type.JPEG);
        }
        if (startsWith(content, new byte[] {'P', 'K', 3, 4})) {
            Set<String> names = zipEntryNames(content);
            if (names.contains("[Content_Types].xml")) {
                if (names.contains("word/document.xml")) {
                    return Optional.of(Type.DOCX);
                }
                if (names.contains("xl/workbook.xml")) {
                    return Optional.of(Type.XLSX);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The entry names of a ZIP archive, read from its central directory without inflating
     * anything, so a compressed bomb costs no more than its own size. Empty if it is not a
     * well-formed archive.
     */
    static Set<String> zipEntryNames(byte[] zip) {
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = -1;
        for (int i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
            if (buffer.getInt(i) == 0x06054b50) {
                end = i;
                break;
            }
        }
        Set<String> names = new HashSet<>();
        if (end < 0) {
            return names;
        }
        int entries = Short.toUnsignedInt(buffer.getShort(end + 10));
        long offset = Integer.toUnsignedLong(buffer.getInt(end + 16));
        for (int n = 0; n < entries; n++) {
            if (offset + 46 > zip.length || buffer.getInt((int) offset) != 0x02014b50) {
                return Set.of();
            }
            int nameLength = Short.toUnsignedInt(buffer.getShort((int) offset + 28));
            int extraLength = Short.toUnsignedInt(buffer.getShort((int) offset + 30));
            int commentLength = Short.toUnsignedInt(buffer.getShort((int) offset + 32));
            if (offset + 46 + nameLength > zip.length) {
                return Set.of();
            }
            names.add(new String(zip, (int) offset + 46, nameLength, StandardCharsets.UTF_8));
            offset += 46L + nameLength + extraLength + commentLength;
        }
        return names;
    }

    /** Records a submission, resubmission or dispute with its accepted files; returns its ID. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long store(long claimId, Kind kind, String username, LocalDate executionDate, String comments,
                      List<Accepted> files, Instant now) {
        long submissionId = jdbc.sql("""
                        insert into claim_submission (claim_id, kind, at, by_user, execution_date, comments)
                        values (?, ?, ?, ?, ?, ?) returning id""")
                .params(claimId, kind.name(), Timestamp.from(now), username, executionDate, comments)
                .query(Long.class).single();
        for (Accepted file : files) {
            jdbc.sql("""
                            insert into claim_document (claim_id, submission_id, file_name, content_type, size_bytes, sha256, content)
                            values (?, ?, ?, ?, ?, ?, ?)""")
                    .params(claimId, submissionId, file.name(), file.type().mediaType, file.content().length,
                            sha256(file.content()), file.content())
                    .update();
        }
        return submissionId;
    }

    /** One document of one claim; the caller has already checked the claim is visible to them. */
    public Content content(long claimId, long documentId) {
        return jdbc.sql("select file_name, content_type, content from claim_document where claim_id = ? and id = ?")
                .params(claimId, documentId)
                .query((rs, n) -> new Content(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                .optional()
                .orElseThrow(() -> ProblemException.notFound("DOCUMENT_NOT_FOUND", "problem.document.notFound"));
    }

    /** A file name as users see it: the last path segment, without control characters, at most 200 characters. */
    static String displayName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
        if (base.isEmpty()) {
            base = "document";
        }
        return base.length() > 200 ? base.substring(0, 200) : base;
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    private static boolean startsWith(byte[] content, byte[] prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (content[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
