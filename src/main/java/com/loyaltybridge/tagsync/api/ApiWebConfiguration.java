package com.loyaltybridge.tagsync.api;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * How strictly the API reads requests: bodies capped in size, JSON values of exactly the
 * type each field declares (numbers in the path and query: {@link CanonicalNumbers}); and
 * what the OpenAPI description names as its server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiWebConfiguration {

    /**
     * First of all filters, before security: an oversized body is refused before anything
     * reads it.
     */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(ApiSettings settings, ProblemResponses problems) {
        FilterRegistrationBean<RequestBodyLimit> registration = new FilterRegistrationBean<>(
                new RequestBodyLimit(settings, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Tomcat reads form bodies itself, past any filter: the same cap holds for them. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> formBodyLimit(ApiSettings settings) {
        int maxBytes = (int) Math.min(Integer.MAX_VALUE, settings.maxRequestBodySize().toBytes());
        return factory -> factory.addConnectorCustomizers(connector -> connector.setMaxPostSize(maxBytes));
    }

    /**
     * A JSON value of another type than its field's is refused, not converted:
     * {@code "ttl": 1.5} was stored as 1, {@code "ttl": "100"} as 100,
     * {@code "export": 123} as "123". {@link ApiErrors} names the field.
     */
    @Bean
    JsonMapperBuilderCustomizer exactJsonTypes() {
        return builder -> builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer,
                    coercion -> coercion.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual,
                    coercion -> coercion.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean,
                    coercion -> coercion.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Collection,
                    coercion -> coercion.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }

    /**
     * The OpenAPI description names {@code api.public-url} as its server, or the relative
     * {@code /}: springdoc would otherwise build it from each request's Host header,
     * which the caller chooses.
     */
    @Bean
    OpenAPI apiDescription(ApiSettings settings) {
        String server = settings.publicUrl() == null ? "/" : settings.publicUrl().toString();
        return new OpenAPI()
            .info(new Info().title("segment-tag-sync")
                .description("Launch, watch, restart, stop and abandon syncs of"
                        + " Braze segment exports to SessionM tags; Braze's export completion callback"))
            .servers(List.of(new Server().url(server)));
    }

}
