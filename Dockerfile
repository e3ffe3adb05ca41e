# syntax=docker/dockerfile:1
# genai-normalizer container image.
#   docker build -t genai-normalizer:0.1.0 .
# The build stage compiles the runnable jar; the runtime stage holds only a JRE and that jar.
# The JVM flags here are the ones the charts module's ImageTest runs the service with; keep the
# Jib profile in app/pom.xml in step (ImageTest checks both).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl app -am package -DskipTests

FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="genai-normalizer" \
      org.opencontainers.image.description="Normalizes Kong AI Gateway OTLP traces and fans them out to LLM-observability backends."
# A fixed non-root identity, so Kubernetes' runAsNonRoot/runAsUser and volume fsGroup line up.
RUN groupadd --system --gid 10001 genai-normalizer \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin genai-normalizer \
 && mkdir -p /etc/genai-normalizer /var/lib/genai-normalizer \
 && chown 10001:10001 /var/lib/genai-normalizer
# Owned by root and read-only to the service: nothing in the image is writable by it.
COPY --from=build --chown=0:0 --chmod=0444 /src/app/target/genai-normalizer.jar /opt/genai-normalizer/genai-normalizer.jar
WORKDIR /opt/genai-normalizer
USER 10001:10001
EXPOSE 4317 4318 8888
# Works on a read-only root filesystem: no perf data file, temp files only in /tmp (an emptyDir
# in the chart); heap sized from the container's memory limit; exit (and restart) on OOM.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/genai-normalizer/genai-normalizer.jar"]
CMD ["run"]
