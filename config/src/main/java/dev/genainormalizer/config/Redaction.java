package dev.genainormalizer.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for what is never shown, shared by every place that prints attributes, URLs or
 * config values (the {@code debug} exporter, the status page, {@code map}, logs, validation
 * messages). Logs, terminals and status pages end up in log stores and screenshots, so a value
 * whose name says it is a credential is replaced, and so are the credentials a URL can carry.
 *
 * <p>A name is a credential when its last dot-separated segment (an attribute such as {@code
 * http.request.header.x-api-key} is judged by {@code x-api-key}), split into words at {@code -},
 * {@code _} and lower-to-upper case changes:
 *
 * <ul>
 *   <li>contains, once separators are removed, {@code password}, {@code passwd}, {@code secret},
 *       {@code apikey}, {@code authorization}, {@code credential}, {@code cookie}, {@code
 *       privatekey}, {@code accesskey} or {@code signature} ({@code proxy-authorization}, {@code
 *       set-cookie}, {@code x-api-key}, {@code client_secret}, {@code db.password}); or
 *   <li>has a word {@code token}, {@code pwd}, {@code bearer}, {@code auth}, {@code jwt} or {@code
 *       sig} ({@code access_token}, {@code x-auth-token}), unless a measure such as {@code usage},
 *       {@code count} or {@code type} follows it ({@code mlflow.chat.tokenUsage}, {@code
 *       token_count}; {@code input_tokens} has the word {@code tokens} and is shown); or
 *   <li>ends in the word {@code key} after a word that makes it a credential ({@code secret_key},
 *       {@code ocp-apim-subscription-key}; {@code routing_key} and a Kafka message {@code key} are
 *       shown).
 * </ul>
 */
public final class Redaction {
  /** What a credential value is replaced with. */
  public static final String REDACTED = "[REDACTED]";

  /**
   * What replaces a URL's {@code user:password} and a secret query value: short, and the URL stays
   * one.
   */
  public static final String URL_MASK = "***";

  private static final List<String> SECRET_PARTS =
      List.of(
          "password",
          "passwd",
          "secret",
          "apikey",
          "authorization",
          "credential",
          "cookie",
          "privatekey",
          "accesskey",
          "signature");
  private static final Set<String> SECRET_WORDS =
      Set.of("token", "pwd", "bearer", "auth", "jwt", "sig");

  /**
   * After one of those words, a word that makes it a measure, not a credential: {@code
   * mlflow.chat.tokenUsage}.
   */
  private static final Set<String> TOKEN_MEASURES =
      Set.of("usage", "count", "counts", "type", "types", "limit", "limits", "budget", "cost");

  private static final Set<String> KEY_QUALIFIERS =
      Set.of(
          "api",
          "secret",
          "private",
          "public",
          "access",
          "subscription",
          "license",
          "master",
          "signing",
          "encryption",
          "client",
          "account",
          "admin",
          "app",
          "service",
          "ingest",
          "write");

  /**
   * Query parameters that are credentials though their name alone says little: Google APIs take
   * {@code ?key=}. Only in URLs: an attribute named {@code key} is usually a message or cache key.
   */
  private static final Set<String> SECRET_QUERY_NAMES = Set.of("key");

  private static final Pattern WORD_BREAK = Pattern.compile("[-_\\s]+|(?<=[a-z0-9])(?=[A-Z])");
  private static final Pattern URL_IN_TEXT =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]+");

  private Redaction() {}

  /**
   * Whether the value of an attribute, header, query parameter or config key of this name is a
   * credential.
   */
  public static boolean isSecretKey(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    final String segment = name.substring(name.lastIndexOf('.') + 1);
    final String joined = segment.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (String part : SECRET_PARTS) {
      if (joined.contains(part)) {
        return true;
      }
    }
    final List<String> words = words(segment);
    final int n = words.size();
    for (int i = 0; i < n; i++) {
      if (SECRET_WORDS.contains(words.get(i))
          && !(i + 1 < n && TOKEN_MEASURES.contains(words.get(i + 1)))) {
        return true;
      }
    }
    return n >= 2 && words.get(n - 1).equals("key") && KEY_QUALIFIERS.contains(words.get(n - 2));
  }

  /**
   * A string attribute value as it may be shown: {@link #REDACTED} under a credential name, else
   * with the credentials of every URL in it masked ({@link #urlsIn}); the query of {@code
   * url.query} and of {@code http.target} ({@code /path?api_key=…}) is masked too.
   */
  public static String attributeValue(String key, String value) {
    if (isSecretKey(key)) {
      return REDACTED;
    }
    if (value.contains("://")) {
      return urlsIn(value);
    }
    if (key.endsWith(".query")) {
      return params(value, 0, value.length());
    }
    if (key.endsWith(".target")) {
      final int q = value.indexOf('?');
      return q < 0 ? value : value.substring(0, q + 1) + params(value, q + 1, value.length());
    }
    return value;
  }

  /**
   * A URL as it may be printed: {@code user:password@} becomes {@code ***@}, and the value of each
   * query (or fragment) parameter whose name is a credential ({@link #isSecretKey}, or {@code key})
   * becomes {@code ***}. Works on any string, valid URL or not, and never throws.
   */
  public static String url(String url) {
    if (url == null || url.isEmpty()) {
      return url;
    }
    final int authorityStart = authorityStart(url);
    final int authorityEnd = authorityEnd(url, authorityStart);
    final StringBuilder out = new StringBuilder(url.length());
    final int at = url.lastIndexOf('@', authorityEnd - 1);
    if (at >= authorityStart) {
      out.append(url, 0, authorityStart).append(URL_MASK);
      out.append(url, at, authorityEnd);
    } else {
      out.append(url, 0, authorityEnd);
    }
    final int fragment = url.indexOf('#', authorityEnd);
    final int fragmentOrEnd = fragment < 0 ? url.length() : fragment;
    final int query = url.indexOf('?', authorityEnd);
    final int queryStart = query >= 0 && query < fragmentOrEnd ? query : fragmentOrEnd;
    out.append(url, authorityEnd, queryStart);
    if (queryStart < fragmentOrEnd) {
      out.append('?').append(params(url, queryStart + 1, fragmentOrEnd));
    }
    if (fragment >= 0) {
      out.append('#').append(params(url, fragment + 1, url.length()));
    }
    return out.toString();
  }

  /**
   * Free text (an error message, a log line) with every {@code scheme://…} in it passed through
   * {@link #url}.
   */
  public static String urlsIn(String text) {
    if (text == null || !text.contains("://")) {
      return text;
    }
    final Matcher m = URL_IN_TEXT.matcher(text);
    final StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(url(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Whether {@code url} has {@code user[:password]@} before its host; any string, never throws. */
  static boolean hasUserInfo(String url) {
    final int start = authorityStart(url);
    return url.lastIndexOf('@', authorityEnd(url, start) - 1) >= start;
  }

  private static int authorityStart(String url) {
    final int scheme = url.indexOf("://");
    return scheme < 0 ? 0 : scheme + 3;
  }

  private static int authorityEnd(String url, int authorityStart) {
    for (int i = authorityStart; i < url.length(); i++) {
      final char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return url.length();
  }

  /** {@code name=value&…} between {@code from} and {@code to}, with credential values masked. */
  private static String params(String s, int from, int to) {
    final StringBuilder out = new StringBuilder(to - from);
    int start = from;
    while (start <= to) {
      int end = start;
      while (end < to && "&;?".indexOf(s.charAt(end)) < 0) {
        end++;
      }
      final int eq = s.indexOf('=', start);
      if (eq >= 0 && eq < end && isSecretParam(s.substring(start, eq))) {
        out.append(s, start, eq + 1).append(URL_MASK);
      } else {
        out.append(s, start, end);
      }
      if (end < to) {
        out.append(s.charAt(end));
      }
      start = end + 1;
    }
    return out.toString();
  }

  private static boolean isSecretParam(String rawName) {
    String name;
    try {
      name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      name = rawName;
    }
    return isSecretKey(name) || SECRET_QUERY_NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  private static List<String> words(String segment) {
    final List<String> words = new ArrayList<>();
    for (String w : WORD_BREAK.split(segment)) {
      if (!w.isEmpty()) {
        words.add(w.toLowerCase(Locale.ROOT));
      }
    }
    return words;
  }
}
