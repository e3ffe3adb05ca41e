package dev.genainormalizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one redaction rule: which names are credentials, and what a printed URL keeps. */
class RedactionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http.request.header.authorization",
        "http.request.header.proxy-authorization",
        "http.request.header.cookie",
        "http.response.header.set-cookie",
        "http.request.header.x-api-key",
        "http.request.header.api-key",
        "http.request.header.x-goog-api-key",
        "http.request.header.ocp-apim-subscription-key",
        "http.request.header.x-auth-token",
        "Cookie",
        "apiKey",
        "provider.api_key",
        "apikey",
        "db.password",
        "user_password",
        "client_secret",
        "secret_key",
        "access_token",
        "accessToken",
        "refresh_token",
        "id_token",
        "token",
        "token_refresh",
        "bearer",
        "x-amz-security-token",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "sig",
      })
  void credentialNames(String name) {
    assertThat(Redaction.isSecretKey(name)).as(name).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gen_ai.usage.input_tokens",
        "gen_ai.usage.output_tokens",
        "gen_ai.request.max_tokens",
        "gen_ai.token.type",
        "llm.token_count.prompt",
        "mlflow.chat.tokenUsage",
        "token_count",
        "gen_ai.request.model",
        "gen_ai.input.messages",
        "gen_ai.conversation.id",
        "session.id",
        "kong.auth.consumer.name",
        "http.request.header.user-agent",
        "http.request.header.content-type",
        "http.url",
        "messaging.kafka.message.key",
        "routing_key",
        "key_file",
        "endpoint",
        "author",
        "",
      })
  void ordinaryNames(String name) {
    assertThat(Redaction.isSecretKey(name)).as(name).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://user:pass@host:4318/v1/traces | http://***@host:4318/v1/traces",
        "https://alice@host/x | https://***@host/x",
        "https://host/v1/traces?api_key=s3cr3t | https://host/v1/traces?api_key=***",
        "https://host/p?token=s3cr3t&tenant=acme | https://host/p?token=***&tenant=acme",
        "https://host/p?tenant=acme&access_token=s3cr3t | https://host/p?tenant=acme&access_token=***",
        "https://host/p?apikey=s3cr3t#frag | https://host/p?apikey=***#frag",
        "https://maps.example/api?key=s3cr3t&q=x | https://maps.example/api?key=***&q=x",
        "https://host/cb#access_token=s3cr3t&state=1 | https://host/cb#access_token=***&state=1",
        "https://host/p#frag?token=s3cr3t | https://host/p#frag?token=***",
        "https://u:p@host/p?api%5Fkey=s3cr3t | https://***@host/p?api%5Fkey=***",
        "https://host:4318/v1/traces | https://host:4318/v1/traces",
        "https://host/a@b?x=1 | https://host/a@b?x=1",
        "user:pass@host:4317 | ***@host:4317",
        "host:4317 | host:4317",
        "not a url at all | not a url at all",
      })
  void urls(String url, String shown) {
    assertThat(Redaction.url(url)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "POST http://u:p@h:1/v1/traces?token=t failed: Connection refused"
            + " | POST http://***@h:1/v1/traces?token=*** failed: Connection refused",
        "HTTP 500 from 'https://h/x?api_key=k': boom | HTTP 500 from 'https://h/x?api_key=***': boom",
        "no url here | no url here",
      })
  void urlsInText(String text, String shown) {
    assertThat(Redaction.urlsIn(text)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http.request.header.authorization | Bearer sk-live | [REDACTED]",
        "http.url | https://kong/openai?apikey=k1&x=2 | https://kong/openai?apikey=***&x=2",
        "url.full | https://u:p@api.example/v1 | https://***@api.example/v1",
        "http.target | /openai/chat?api_key=k1 | /openai/chat?api_key=***",
        "url.query | token=k1&page=2 | token=***&page=2",
        "gen_ai.request.model | gpt-4o-mini | gpt-4o-mini",
      })
  void attributeValues(String key, String value, String shown) {
    assertThat(Redaction.attributeValue(key, value)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "endpoint | http://user:hunter2@host:4318 | true",
        "endpoint | https://host:4318?token=x | false",
        "endpoint | user:hunter2@host:4317 | true",
        "endpoint | host:4317 | false",
      })
  void endpointCredentials(String key, String url, boolean rejected) {
    assertThat(EndpointCredentials.check(key, url, "headers"))
        .as(url)
        .isEqualTo(
            rejected
                ? java.util.Optional.of(
                    key
                        + ": '"
                        + Redaction.url(url)
                        + "' carries user:password@ (expected: a URL"
                        + " without credentials, which would not be sent; set them in headers)")
                : java.util.Optional.empty());
    EndpointCredentials.check(key, url, "headers")
        .ifPresent(m -> assertThat(m).doesNotContain("hunter2"));
  }
}
