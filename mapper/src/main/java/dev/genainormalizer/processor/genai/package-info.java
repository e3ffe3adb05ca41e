/**
 * The {@code genai} processor: rewrites Gen AI spans into the OTel GenAI semantic conventions
 * (messages in parts form, current attribute names, integer token counts), fills what Kong's span
 * leaves out from the response body, and adds conversation id, user id and cost.
 */
package dev.genainormalizer.processor.genai;
