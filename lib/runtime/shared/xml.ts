// Text escaping for the SVG and HTML the job reports write.

/** Escapes text for XML and HTML (element content and attribute values alike). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
