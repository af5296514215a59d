package dev.attune.testing;

import java.nio.file.Path;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log event of the test JVM into a file while it is open: {@code dev.attune} at DEBUG, everything
 * else (Flink, the AWS SDK, Netty) at INFO; the console keeps what it showed before. Closing reloads
 * the configuration from {@code log4j2.properties}.
 */
public final class CapturedLogs implements AutoCloseable {
    private final LoggerContext ctx;

    private CapturedLogs(LoggerContext ctx) {
        this.ctx = ctx;
    }

    public static CapturedLogs to(Path file) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        FileAppender appender = FileAppender.newBuilder()
                .setName("captured")
                .withFileName(file.toString())
                .setLayout(PatternLayout.newBuilder()
                        .withConfiguration(config)
                        .withPattern("%d{HH:mm:ss.SSS} %-5p [%t] %c - %m%n")
                        .build())
                .setConfiguration(config)
                .build();
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        Level before = root.getLevel();
        // The root's appenders keep the level they had, whatever the loggers now let through.
        for (Map.Entry<String, Appender> a : Map.copyOf(root.getAppenders()).entrySet()) {
            Level level = root.getAppenderRefs().stream()
                    .filter(r -> r.getRef().equals(a.getKey()))
                    .map(AppenderRef::getLevel)
                    .filter(l -> l != null)
                    .findFirst()
                    .orElse(before);
            root.removeAppender(a.getKey());
            root.addAppender(a.getValue(), level, null);
        }
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.INFO);
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (logger != root && logger.getLevel() != null && logger.getLevel().isMoreSpecificThan(Level.WARN)) {
                logger.setLevel(Level.INFO);
            }
        }
        LoggerConfig attune = new LoggerConfig("dev.attune", Level.DEBUG, true);
        config.addLogger("dev.attune", attune);
        ctx.updateLoggers();
        return new CapturedLogs(ctx);
    }

    @Override
    public void close() {
        ctx.reconfigure();
    }
}
