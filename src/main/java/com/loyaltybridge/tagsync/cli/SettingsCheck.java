package com.loyaltybridge.tagsync.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.SegmentTagSyncApplication;
import com.loyaltybridge.tagsync.config.DatabasePoolSizing;
import com.loyaltybridge.tagsync.config.LocalDatabaseSettings;

/**
 * Checks the configuration once Spring has gathered it (application.yml, the environment,
 * the command line) and before a single bean exists: every settings record of the
 * application is bound, and the settings the command needs must be there. So a missing or
 * malformed setting is refused in one line before anything connects to PostgreSQL, S3 or
 * SessionM. A refusal abandons the start without Spring reporting it; {@link #refusal()}
 * says why.
 */
final class SettingsCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private final Consumer<BoundSettings> commandCheck;

    private UsageException refusal;

    /**
     * @param commandCheck the command's own requirements; throws {@link UsageException}
     * when one is not met
     */
    SettingsCheck(Consumer<BoundSettings> commandCheck) {
        this.commandCheck = commandCheck;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        try {
            check(event.getEnvironment());
        }
        catch (UsageException e) {
            refusal = e;
            throw new SpringApplication.AbandonedRunException();
        }
    }

    /** Why the start was abandoned; null when it was not. */
    UsageException refusal() {
        return refusal;
    }

    private void check(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        Map<Class<?>, Object> bound = new HashMap<>();
        for (Class<?> settings : settingsRecords()) {
            String prefix = AnnotationUtils.findAnnotation(settings, ConfigurationProperties.class).prefix();
            try {
                bound.put(settings, binder.bindOrCreate(prefix, settings));
            }
            catch (BindException e) {
                throw new UsageException(describe(e));
            }
        }
        String database = environment.getProperty("spring.datasource.url");
        if ((database == null || database.isBlank())
                && !environment.acceptsProfiles(Profiles.of(LocalDatabaseSettings.PROFILE))) {
            throw new UsageException("no PostgreSQL to keep the sync's state in: set SPRING_DATASOURCE_URL,"
                    + " SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD (or add --spring.profiles.active="
                    + LocalDatabaseSettings.PROFILE + " for an embedded one)");
        }
        DatabasePoolSizing.problemWith(environment).ifPresent(problem -> {
            throw new UsageException(problem);
        });
        commandCheck.accept(new BoundSettings(bound));
    }

    /** The application's settings records as they will be bound when it starts. */
    record BoundSettings(Map<Class<?>, Object> byType) {

        <T> T get(Class<T> type) {
            return type.cast(byType.get(type));
        }
    }

    /**
     * The application's {@code @ConfigurationProperties} records, found as
     * {@code @ConfigurationPropertiesScan} finds them.
     */
    private static Class<?>[] settingsRecords() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        return scanner.findCandidateComponents(SegmentTagSyncApplication.class.getPackageName())
            .stream()
            .map(BeanDefinition::getBeanClassName)
            .map(name -> ClassUtils.resolveClassName(name, SettingsCheck.class.getClassLoader()))
            .toArray(Class<?>[]::new);
    }

    /**
     * One line naming the setting and what it should have been; secrets are never
     * repeated.
     */
    static String describe(BindException failure) {
        ConfigurationProperty property = failure.getProperty();
        if (property == null) {
            // A settings record refused its values as a whole (they go together, or one
            // is out of range): it says why.
            return NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
        }
        String name = property.getName().toString();
        String value = name.contains("secret") || name.contains("password") ? "the value given"
                : "'" + property.getValue() + "'";
        return name + ": " + value + " is not " + expected(failure.getTarget().getType().resolve(Object.class));
    }

    private static String expected(Class<?> type) {
        Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
        if (boxed == Integer.class || boxed == Long.class) {
            return "a whole number";
        }
        if (boxed == Double.class || boxed == Float.class) {
            return "a number";
        }
        if (boxed == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 30s or 5m";
        }
        if (type == DataSize.class) {
            return "a size such as 512KB or 1MB";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        }
        return "a valid " + type.getSimpleName();
    }

}
