package org.mciengagements.directory.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.mciengagements.directory.DirectoryImport;
import org.mciengagements.directory.DirectoryImports;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.web.FormProblems;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The operator's directory page: the upload form with each kind's columns, the latest imports, and
 * one import's page, whose panel polls itself every second while the import runs (progress bar),
 * then shows the counts and the report. The form posts multipart; with JavaScript it sends the file
 * as the raw request body instead ({@code static/js/directory-import.js}), which has no multipart size
 * limit, so files of a million rows go through the page too.
 */
@Controller
class DirectoryPages {

    static final int RECENT = 20;
    static final int REPORT_PAGE = 100;

    private final ImportUploads uploads;
    private final DirectoryImports imports;
    private final FormProblems forms;
    private final MessageSource messages;

    DirectoryPages(ImportUploads uploads, DirectoryImports imports, FormProblems forms, MessageSource messages) {
        this.uploads = uploads;
        this.imports = imports;
        this.forms = forms;
        this.messages = messages;
    }

    @GetMapping("/admin/directory")
    String directory(CurrentUser me, Model model) {
        ImportUploads.requireOperator(me);
        return directoryPage(me, model, null);
    }

    @PostMapping(path = "/admin/directory/imports", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    String upload(CurrentUser me, @RequestParam(required = false) String kind,
                  @RequestParam(required = false) MultipartFile file, Model model, HttpServletResponse response) {
        boolean present = file != null && !(file.isEmpty() && (file.getOriginalFilename() == null
                || file.getOriginalFilename().isEmpty()));
        var request = new ImportUploads.Request(kind, present ? file.getOriginalFilename() : null, present,
                present ? file.getSize() : -1);
        try (InputStream content = present ? file.getInputStream() : InputStream.nullInputStream()) {
            return start(me, request, content, model, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same form sent by its script: the file is the body, streamed to disk as it arrives. */
    @PostMapping(path = "/admin/directory/imports", consumes = DirectoryImportsApi.CSV)
    String uploadCsv(CurrentUser me, @RequestParam(required = false) String kind,
                     @RequestParam(required = false) String fileName, HttpServletRequest http, Model model,
                     HttpServletResponse response) {
        var request = new ImportUploads.Request(kind, fileName, true, http.getContentLengthLong());
        try {
            return start(me, request, http.getInputStream(), model, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping("/admin/directory/imports/{importId}")
    String importPage(CurrentUser me, @PathVariable long importId, @RequestParam(required = false) String cursor,
                      Model model) {
        ImportUploads.requireOperator(me);
        model.addAttribute("me", me);
        panel(importId, Cursor.decode(cursor, "cursor"), model);
        return "directory/import";
    }

    /** The import's panel alone, for the page's polling while the import runs. */
    @GetMapping("/admin/directory/imports/{importId}/panel")
    String importPanel(CurrentUser me, @PathVariable long importId, Model model) {
        ImportUploads.requireOperator(me);
        model.addAttribute("me", me);
        panel(importId, null, model);
        return "directory/import :: panel";
    }

    @GetMapping("/admin/directory/imports/{importId}/problems.csv")
    ResponseEntity<String> problemsCsv(CurrentUser me, @PathVariable long importId) {
        ImportUploads.requireOperator(me);
        return ReportCsv.download(imports, find(importId));
    }

    private String start(CurrentUser me, ImportUploads.Request request, InputStream content, Model model,
                         HttpServletResponse response) {
        try {
            long id = uploads.importId(uploads.start(me, null, request, content));
            return "redirect:/admin/directory/imports/" + id;
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.FORBIDDEN || e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            // Shown again with the refusal next to its field; a script that sent the file swaps in the form.
            response.setStatus(e.status().value());
            model.addAttribute("errors", forms.fieldMessages(e));
            model.addAttribute("problem", messages.getMessage(e.messageKey(), e.args().toArray(), e.messageKey(),
                    LocaleContextHolder.getLocale()));
            return directoryPage(me, model, request.kind());
        }
    }

    private String directoryPage(CurrentUser me, Model model, String kind) {
        model.addAttribute("me", me);
        model.addAttribute("kinds", List.of(DirectoryImport.Kind.values()));
        model.addAttribute("kind", kind == null ? DirectoryImport.Kind.TENANTS.name() : kind.strip().toUpperCase());
        model.addAttribute("recent", imports.list(null, RECENT).items());
        return "directory/imports";
    }

    private void panel(long importId, Cursor cursor, Model model) {
        DirectoryImports.ImportView view = find(importId);
        model.addAttribute("imp", view);
        model.addAttribute("paged", cursor != null);
        if (view.finished()) {
            model.addAttribute("report", imports.problems(importId, cursor, REPORT_PAGE));
        }
    }

    private DirectoryImports.ImportView find(long importId) {
        return imports.find(importId).orElseThrow(() -> ProblemException.notFound("IMPORT_NOT_FOUND",
                "problem.directoryImport.notFound", String.valueOf(importId)));
    }
}
