package org.mciengagements.notification;

/** The plain-text alternative of a rendered HTML mail: tags dropped, links kept as text. */
final class MailText {

    private MailText() {}

    static String fromHtml(String html) {
        String text = html
                .replaceAll("(?is)<(head|style|script)[^>]*>.*?</\\1>", "")
                .replaceAll("(?i)<a [^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", "$2 ($1)")
                .replaceAll("(?i)<br\\s*/?>|</p>|</h[1-6]>|</li>|</tr>", "\n")
                .replaceAll("<[^>]+>", "")
                .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'");
        return text.replaceAll("[ \\t]+", " ").replaceAll("\\n\\s*\\n\\s*\\n+", "\n\n").strip() + "\n";
    }
}
