# The rota command line in one image: `docker run rota master`, `... worker`, `... jobs list`, and so on.
# Configure it with the ROTA_* environment variables (see `rota --help`); JVM flags go in ROTA_JAVA_OPTS.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl cli -am clean package -Dmaven.test.skip=true

FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /opt/rota rota
COPY --from=build /src/cli/target/rota.jar /opt/rota/rota.jar
USER rota
WORKDIR /opt/rota
ENV ROTA_JAVA_OPTS=""
# A shell, so that ROTA_JAVA_OPTS is split into flags; exec, so that java receives SIGTERM and shuts down cleanly.
ENTRYPOINT ["sh", "-c", "exec java $ROTA_JAVA_OPTS -jar /opt/rota/rota.jar \"$@\"", "rota"]
CMD ["--help"]
