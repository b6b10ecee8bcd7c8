package com.loyaltybridge.tagsync.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import com.loyaltybridge.tagsync.text.UntrustedText;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error of the API as a ProblemDetail (RFC 9457) with a one-line {@code detail};
 * 400s name the field at fault in {@code field} (and all of them in {@code errors}).
 * Never a stack trace.
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnWebApplication
class ApiErrors implements ResponseBodyAdvice<Object> {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiProblem.class)
    ProblemDetail problem(ApiProblem problem) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        if (problem.field() != null) {
            detail.setProperty("field", problem.field());
            detail.setProperty("errors", List.of(Map.of("field", problem.field(), "message", problem.getMessage())));
        }
        return detail;
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalidBody(MethodArgumentNotValidException e) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors();
        return invalid(errors.stream()
            .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
            .toList());
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ProblemDetail invalidParameter(HandlerMethodValidationException e) {
        return invalid(e.getParameterValidationResults()
            .stream()
            .flatMap(result -> result.getResolvableErrors()
                .stream()
                .map(error -> Map.of("field", String.valueOf(result.getMethodParameter().getParameterName()), "message",
                        String.valueOf(error.getDefaultMessage()))))
            .toList());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType() == null ? Object.class
                : ClassUtils.resolvePrimitiveIfNecessary(e.getRequiredType());
        String value = UntrustedText.quote(String.valueOf(e.getValue()));
        return invalid(List.of(Map.of("field", e.getName(), "message", Number.class.isAssignableFrom(type)
                ? value + " is not a whole number in decimal digits" : value + " is not a valid value")));
    }

    /**
     * A body that is too large (413), or not the JSON the endpoint takes (400): a value
     * of the wrong type names its field ({@code ttl}, {@code tags[0]}) and the type
     * expected. The parser's own message is never shown: it quotes input.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimit.TooLarge tooLarge) {
                return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
            }
        }
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (JacksonException.Reference reference : mismatch.getPath()) {
                if (reference.getPropertyName() != null) {
                    field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
                }
                else {
                    field.append('[').append(reference.getIndex()).append(']');
                }
            }
            return invalid(List
                .of(Map.of("field", field.toString(), "message", "must be " + jsonType(mismatch.getTargetType()))));
        }
        return invalid(List.of(Map.of("field", "body", "message", "the body is not the JSON this endpoint takes")));
    }

    private static String jsonType(Class<?> target) {
        Class<?> type = target == null ? Object.class : ClassUtils.resolvePrimitiveIfNecessary(target);
        if (type == Long.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a JSON value of another type";
    }

    @ExceptionHandler(RuntimeException.class)
    ProblemDetail unexpected(RuntimeException e) {
        log.error("API request failed: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the request failed; the server log says why");
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    /**
     * Spring names the request path as a problem's {@code instance}; a path longer than
     * any of ours (a 4,000-character segment id) is left out rather than echoed back.
     */
    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof ProblemDetail problem && problem.getInstance() != null
                && problem.getInstance().toString().length() > UntrustedText.MAX_QUOTED_LENGTH) {
            problem.setInstance(null);
        }
        return body;
    }

    private static ProblemDetail invalid(List<Map<String, String>> errors) {
        Map<String, String> first = errors.isEmpty() ? Map.of("field", "request", "message", "invalid request")
                : errors.get(0);
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                first.get("field") + ": " + first.get("message"));
        detail.setProperty("field", first.get("field"));
        detail.setProperty("errors", errors);
        return detail;
    }

}
