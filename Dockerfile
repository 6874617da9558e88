# modelgate as a container image: the release archive on a Java 17 runtime, with ND4J's native libraries unpacked at
# build time (so the first check does not spend seconds extracting them). See docs/install.md; NOT BUILT OR RUN on the
# project's machines (they have a Docker client and no engine).
#
#   docker build -t modelgate:0.1.0 .
#   docker run --rm -v "$PWD:/work" -w /work modelgate:0.1.0 check models/a.yaml models/b.yaml
#
# Stage 1: the release archive, built by `mvn package` as everywhere else.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package && mkdir /dist && tar -xzf target/modelgate-*.tar.gz -C /dist --strip-components=1

# Stage 2: a JRE, the unpacked archive, and the natives prepared.
FROM eclipse-temurin:17-jre
COPY --from=build /dist /opt/modelgate
# JavaCPP unpacks the natives into its cache folder; a fixed one inside the image, for modelgate's JVM and its worker
# JVM alike (any user id can read it), filled by one real run at build time.
ENV MODELGATE_JAVA_OPTS="-Dorg.bytedeco.javacpp.cachedir=/opt/modelgate/javacpp-cache" \
    MODELGATE_WORKER_OPTS="-Dorg.bytedeco.javacpp.cachedir=/opt/modelgate/javacpp-cache" \
    XDG_CACHE_HOME=/tmp/modelgate-cache
RUN ln -s /opt/modelgate/bin/modelgate /usr/local/bin/modelgate \
 && modelgate check /opt/modelgate/samples/mlp/original.yaml /opt/modelgate/samples/mlp/original.yaml --iterations 2 --time-budget 2 >/dev/null \
 && test -n "$(find /opt/modelgate/javacpp-cache -name 'libnd4jcpu.so' -print -quit)" \
 && chmod -R a+rX /opt/modelgate/javacpp-cache
WORKDIR /work
ENTRYPOINT ["modelgate"]
CMD ["--help"]
