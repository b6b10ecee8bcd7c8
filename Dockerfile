# segment-tag-sync: one image for the CronJob (`scan`), the REST API (`serve`) and one-off `sync` runs.
# Build: docker build -t segment-tag-sync:0.1.0 .

# --- build: the jar, split into Spring Boot's layers (dependencies change less often than the application) ---
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/main/ src/main/
RUN ./mvnw -B -q -DskipTests package \
    && java -Djarmode=tools -jar target/segment-tag-sync.jar extract --layers --launcher --destination target/extracted

# --- run: a JRE, the layers in order of how often they change, a non-root user ---
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tagsync \
    && useradd --system --uid 10001 --gid tagsync --no-create-home --shell /usr/sbin/nologin tagsync
WORKDIR /app
COPY --from=build /build/target/extracted/dependencies/ ./
COPY --from=build /build/target/extracted/spring-boot-loader/ ./
COPY --from=build /build/target/extracted/snapshot-dependencies/ ./
COPY --from=build /build/target/extracted/application/ ./
USER 10001:10001
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
CMD ["--help"]
