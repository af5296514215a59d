package dev.attune.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.client.deployment.application.ApplicationClusterEntryPoint;
import org.apache.flink.client.program.DefaultPackagedProgramRetriever;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.entrypoint.ClusterEntrypoint;
import org.apache.flink.runtime.entrypoint.ClusterEntrypointUtils;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;

/**
 * What Flink's {@code standalone-job} (the docker image's application mode, which the compose
 * file's jobmanager and the Kubernetes Operator run) starts: Flink 1.20's
 * {@code StandaloneApplicationClusterEntryPoint}, whose module ({@code flink-container}) does not
 * resolve here, rebuilt step for step from the same parts of {@code flink-clients}: the program
 * from the jars in {@code usrlib} ({@code FLINK_LIB_DIR}/../usrlib), the embedded executor, and
 * an {@link ApplicationClusterEntryPoint} that runs {@code main} in the JobManager. Like Flink's,
 * it leaves {@code execution.attached} as configured (false by default).
 *
 * <p>{@code --configDir DIR --job-classname CLASS [-D key=value]... [program arguments...]}
 */
public final class ApplicationModeEntryPoint extends ApplicationClusterEntryPoint {
    private ApplicationModeEntryPoint(Configuration configuration, PackagedProgram program) {
        super(configuration, program, StandaloneResourceManagerFactory.getInstance());
    }

    public static void main(String[] args) throws Exception {
        String configDir = null;
        String jobClassName = null;
        Configuration dynamic = new Configuration();
        int i = 0;
        for (; i < args.length; i++) {
            if ("--configDir".equals(args[i]) || "-c".equals(args[i])) {
                configDir = args[++i];
            } else if ("--job-classname".equals(args[i]) || "-j".equals(args[i])) {
                jobClassName = args[++i];
            } else if ("-D".equals(args[i])) {
                String[] kv = args[++i].split("=", 2);
                dynamic.setString(kv[0], kv[1]);
            } else {
                break; // as Flink's parser: the first argument it does not know starts the program's
            }
        }
        List<String> programArgs = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        Configuration configuration = GlobalConfiguration.loadConfiguration(
                Path.of(configDir).toAbsolutePath().toString(), dynamic);
        File usrlib = ClusterEntrypointUtils.tryFindUserLibDirectory().orElse(null);
        PackagedProgram program = DefaultPackagedProgramRetriever.create(
                        usrlib, jobClassName, programArgs.toArray(String[]::new), configuration)
                .getPackagedProgram();
        configureExecution(configuration, program);
        ClusterEntrypoint.runClusterEntrypoint(new ApplicationModeEntryPoint(configuration, program));
    }
}
