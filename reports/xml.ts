/** Escapes text for XML/HTML content and attribute values (double-quoted). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Drops characters XML 1.0 forbids outright (most C0 controls). A stray ANSI escape from a tool's stderr in a
 * reason string would otherwise make the whole JUnit file or chart unparseable.
 */
export function xmlSafe(text: string): string {
  return escapeXml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
}
