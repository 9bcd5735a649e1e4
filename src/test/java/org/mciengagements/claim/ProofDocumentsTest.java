package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.ProofDocuments.Type;
import org.mciengagements.shared.ProblemException.FieldProblem;

/** Proof documents are recognised by their bytes, never by their names, within the program's limits. */
class ProofDocumentsTest {

    @Test
    void eachAcceptedTypeIsRecognisedByItsContent() {
        assertThat(ProofDocuments.detect(ProofFiles.pdf())).contains(Type.PDF);
        assertThat(ProofDocuments.detect(ProofFiles.png())).contains(Type.PNG);
        assertThat(ProofDocuments.detect(ProofFiles.jpeg())).contains(Type.JPEG);
        assertThat(ProofDocuments.detect(ProofFiles.docx())).contains(Type.DOCX);
        assertThat(ProofDocuments.detect(ProofFiles.xlsx())).contains(Type.XLSX);
    }

    @Test
    void executablesTextAndOtherArchivesAreNotProof() {
        assertThat(ProofDocuments.detect(ProofFiles.executable())).isEmpty();
        assertThat(ProofDocuments.detect("just text, named report.pdf".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(ProofDocuments.detect(ProofFiles.zip("payload.exe", "readme.txt"))).as("a plain ZIP").isEmpty();
        assertThat(ProofDocuments.detect(ProofFiles.zip("word/document.xml"))).as("no content types part").isEmpty();
        assertThat(ProofDocuments.detect(ProofFiles.zip("[Content_Types].xml", "ppt/presentation.xml")))
                .as("a presentation").isEmpty();
    }

    @Test
    void aTruncatedArchiveIsNotRecognisedAndDoesNotThrow() {
        byte[] docx = ProofFiles.docx();
        for (int cut : List.of(4, 30, docx.length / 2, docx.length - 10)) {
            Optional<Type> type = ProofDocuments.detect(Arrays.copyOf(docx, cut));
            assertThat(type).as("cut at %d", cut).isEmpty();
        }
    }

    @Test
    void limitsNameTheFileAndNothingIsAcceptedWhenAnyFileFails() {
        ProofDocuments.Checked checked = ProofDocuments.check(List.of(
                upload("good.pdf", ProofFiles.pdf()),
                upload("C:\\Users\\me\\setup.pdf", ProofFiles.executable()),
                upload("empty.png", new byte[0]),
                new ProofDocuments.Upload("huge.pdf", ProofDocuments.MAX_BYTES + 1, () -> {
                    throw new AssertionError("an oversized file is never read");
                })));
        assertThat(checked.files()).isEmpty();
        assertThat(checked.problems()).extracting(FieldProblem::field, FieldProblem::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("files[1]", "UNSUPPORTED_FILE_TYPE"),
                org.assertj.core.groups.Tuple.tuple("files[2]", "EMPTY_FILE"),
                org.assertj.core.groups.Tuple.tuple("files[3]", "FILE_TOO_LARGE"));
        assertThat(checked.problems().get(0).args()).as("the name without its path").containsExactly("setup.pdf");
    }

    @Test
    void atMostTenFiles() {
        List<ProofDocuments.Upload> eleven = java.util.stream.IntStream.range(0, 11)
                .mapToObj(i -> upload("p" + i + ".pdf", ProofFiles.pdf())).toList();
        assertThat(ProofDocuments.check(eleven).problems()).extracting(FieldProblem::code).containsExactly("TOO_MANY_FILES");
        assertThat(ProofDocuments.check(eleven.subList(0, 10)).files()).hasSize(10);
    }

    private static ProofDocuments.Upload upload(String name, byte[] content) {
        return new ProofDocuments.Upload(name, content.length, () -> new ByteArrayInputStream(content));
    }
}
