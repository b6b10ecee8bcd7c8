package com.loyaltybridge.tagsync.api;

import java.util.regex.Pattern;

import org.springframework.beans.propertyeditors.CustomNumberEditor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Numbers in the API's paths and query strings (execution ids, pages, sizes) are read as
 * one writes them: decimal digits, no sign, no leading zero, no space. Spring's own
 * reading takes {@code 0x10} and {@code #10} as 16, {@code 01} as 1 and {@code "1 "} as
 * 1, so one execution answered to many ids. Registered as editors: they come before any
 * converter, and Spring falls back to its lenient editors when a converter refuses.
 */
@ControllerAdvice(basePackageClasses = CanonicalNumbers.class)
@ConditionalOnWebApplication
class CanonicalNumbers {

    private static final Pattern CANONICAL = Pattern.compile("0|[1-9][0-9]*");

    @InitBinder
    void canonicalOnly(WebDataBinder binder) {
        binder.registerCustomEditor(long.class, new CanonicalNumberEditor(Long.class));
        binder.registerCustomEditor(Long.class, new CanonicalNumberEditor(Long.class));
        binder.registerCustomEditor(int.class, new CanonicalNumberEditor(Integer.class));
        binder.registerCustomEditor(Integer.class, new CanonicalNumberEditor(Integer.class));
    }

    private static final class CanonicalNumberEditor extends CustomNumberEditor {

        CanonicalNumberEditor(Class<? extends Number> type) {
            super(type, false);
        }

        @Override
        public void setAsText(String text) {
            if (text == null || !CANONICAL.matcher(text).matches()) {
                throw new IllegalArgumentException("not a whole number in decimal digits");
            }
            super.setAsText(text);
        }

    }

}
