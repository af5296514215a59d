package dev.attune.deploy;

import static dev.attune.deploy.DeployFiles.*;
import static dev.attune.testing.Commands.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy.sh --dry-run} prints the build, the upload, the stack deployment and the start of the
 * application with the example parameters, and runs none of them: {@code aws} and {@code mvn} on the PATH
 * are fakes that record any call. Without a region or a code bucket it refuses to run.
 */
class DeployScriptTest {
    @TempDir
    Path tmp;

    Path calls;
    Map<String, String> env;

    @BeforeEach
    void fakes() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        calls = tmp.resolve("calls.log");
        for (String tool : List.of("aws", "mvn")) {
            Path fake = bin.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + calls + "'\nexit 1\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("AWS_REGION", null);
        env.put("AWS_DEFAULT_REGION", null);
        env.put("ATTUNE_SKIP_BUILD", null);
        env.put("ATTUNE_STACK_NAME", null);
    }

    Result deploy(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", DEPLOY_SCRIPT.toString()));
        command.addAll(List.of(args));
        return run(ROOT, env, 30, command);
    }

    static String line(String stdout, String prefix) {
        return stdout.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + stdout));
    }

    @Test
    void dryRunPrintsEveryCallAndRunsNone() throws IOException {
        Result r = deploy("--dry-run", "--region", "eu-west-1", "--stack-name", "attune-test");
        System.out.println(r.all().strip());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(Files.exists(calls)).as("aws or mvn was run in a dry run").isFalse();

        assertThat(line(r.stdout(), "+ mvn ")).isEqualTo("+ mvn -q -DskipTests package");

        String cp = line(r.stdout(), "+ aws s3 cp ");
        Matcher upload = Pattern.compile(
                        "\\+ aws s3 cp (\\S+/target/attune-cluster\\.jar) "
                                + "s3://example-attune-artifacts-123456789012/(attune/attune-cluster-[0-9A-Za-z]{12}\\.jar) --region eu-west-1")
                .matcher(cp);
        assertThat(upload.matches()).as(cp).isTrue();
        String key = upload.group(2);

        String deploy = line(r.stdout(), "+ aws cloudformation deploy ");
        assertThat(deploy)
                .contains(
                        "--region eu-west-1",
                        "--stack-name attune-test",
                        "--template-file " + TEMPLATE,
                        "--capabilities CAPABILITY_IAM",
                        "--no-fail-on-empty-changeset",
                        "--parameter-overrides ",
                        " CodeKey=" + key);
        // Every example parameter is passed, and every template parameter without a default has a value.
        JsonNode template = template();
        Map<String, String> example = new HashMap<>();
        for (JsonNode p : JSON.readTree(PARAMETERS.toFile())) {
            example.put(p.get("ParameterKey").asText(), p.get("ParameterValue").asText());
        }
        example.forEach((k, v) -> assertThat(deploy).contains(" " + k + "=" + v));
        template.get("Parameters").fields().forEachRemaining(p -> {
            if (!p.getValue().has("Default")) {
                assertThat(deploy).as("required parameter " + p.getKey()).contains(" " + p.getKey() + "=");
            }
        });
        assertThat(example.keySet())
                .as("parameters.json names template parameters only")
                .allMatch(k -> template.get("Parameters").has(k));

        String start = line(r.stdout(), "+ aws kinesisanalyticsv2 start-application ");
        Matcher run = Pattern.compile(".* --region eu-west-1 --application-name attune --run-configuration '(.*)'")
                .matcher(start);
        assertThat(run.matches()).as(start).isTrue();
        JsonNode runConfiguration = JSON.readTree(run.group(1));
        assertThat(runConfiguration
                        .at("/ApplicationRestoreConfiguration/ApplicationRestoreType")
                        .asText())
                .isEqualTo("RESTORE_FROM_LATEST_SNAPSHOT");
        assertThat(runConfiguration
                        .at("/FlinkRunConfiguration/AllowNonRestoredState")
                        .asBoolean(true))
                .isFalse();
        assertThat(r.stdout().indexOf("+ aws s3 cp")).isLessThan(r.stdout().indexOf("+ aws cloudformation deploy"));
        assertThat(r.stdout().indexOf("+ aws cloudformation deploy"))
                .isLessThan(r.stdout().indexOf("+ aws kinesisanalyticsv2 start-application"));
    }

    @Test
    void skipBuildAndSkipRestore() {
        env.put("AWS_REGION", "us-east-1");
        Result r = deploy("--dry-run", "--skip-build", "--skip-restore");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout())
                .doesNotContain("+ mvn ")
                .contains("--stack-name attune ", "--region us-east-1", "SKIP_RESTORE_FROM_SNAPSHOT");
    }

    @Test
    void refusesWithoutARegion() {
        Result r = deploy("--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("no AWS region", "--region");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void refusesWithoutACodeBucket() throws IOException {
        Path params = tmp.resolve("parameters.json");
        Files.writeString(params, "[{\"ParameterKey\": \"ApplicationName\", \"ParameterValue\": \"attune\"}]");
        Result r = deploy("--dry-run", "--region", "eu-west-1", "--parameters", params.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("CodeBucket");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void refusesAMissingParametersFileAndUnknownArguments() {
        Result missing = deploy(
                "--dry-run",
                "--region",
                "eu-west-1",
                "--parameters",
                tmp.resolve("nope.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.stderr()).contains("nope.json", "not found");
        Result unknown = deploy("--dry-run", "--regoin", "eu-west-1");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown argument '--regoin'");
    }
}
