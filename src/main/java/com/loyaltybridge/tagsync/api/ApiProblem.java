package com.loyaltybridge.tagsync.api;

import org.springframework.http.HttpStatus;

/**
 * A request the API answers with an error status and a one-line reason (a ProblemDetail
 * body); the console shows the same reason on its pages.
 *
 * @param field the request field at fault, for 400 answers; null otherwise
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;

    private final String field;

    private ApiProblem(HttpStatus status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiProblem invalid(String field, String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field, message);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(HttpStatus.NOT_FOUND, null, message);
    }

    public static ApiProblem conflict(String message) {
        return new ApiProblem(HttpStatus.CONFLICT, null, message);
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }

}
