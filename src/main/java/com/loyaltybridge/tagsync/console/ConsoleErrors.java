package com.loyaltybridge.tagsync.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import com.loyaltybridge.tagsync.api.ApiProblem;

import jakarta.servlet.http.HttpServletResponse;

/**
 * A console request that fails shows a page with the status and the one-line reason the
 * API would give (an unknown execution, an action its state does not allow), never a
 * stack trace.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@ConditionalOnWebApplication
class ConsoleErrors {

    private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

    @ExceptionHandler(ApiProblem.class)
    String problem(ApiProblem problem, Model model, HttpServletResponse response) {
        return page(problem.status(), problem.getMessage(), model, response);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String typeMismatch(MethodArgumentTypeMismatchException e, Model model, HttpServletResponse response) {
        return page(HttpStatus.BAD_REQUEST, e.getName() + " must be a whole number in decimal digits", model, response);
    }

    @ExceptionHandler(RuntimeException.class)
    String unexpected(RuntimeException e, Model model, HttpServletResponse response) {
        log.error("Console request failed: {}", e.getMessage());
        return page(HttpStatus.INTERNAL_SERVER_ERROR, "The request failed; the server log says why.", model, response);
    }

    private static String page(HttpStatus status, String message, Model model, HttpServletResponse response) {
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("reason", status.getReasonPhrase());
        model.addAttribute("message", message);
        return "console/problem";
    }

}
