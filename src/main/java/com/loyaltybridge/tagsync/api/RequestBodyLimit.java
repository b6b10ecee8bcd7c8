package com.loyaltybridge.tagsync.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Caps every request body at {@code api.max-request-body-size}: a declared Content-Length
 * over it answers 413 at once; a body without one (chunked) is counted as it is read, and
 * reading past the limit fails with {@link TooLarge}, which {@link ApiErrors} answers
 * with 413. Neither Tomcat nor Spring caps a JSON body by itself (Tomcat's limit covers
 * form posts only), so a few large bodies could otherwise run the heap out.
 */
final class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;

    private final ProblemResponses problems;

    RequestBodyLimit(ApiSettings settings, ProblemResponses problems) {
        this.maxBytes = settings.maxRequestBodySize().toBytes();
        this.problems = problems;
    }

    /**
     * Reading the body went past the limit. An IOException, as servlet streams fail with
     * nothing else.
     */
    static final class TooLarge extends IOException {

        TooLarge(long maxBytes) {
            super("the request body is larger than api.max-request-body-size (" + maxBytes + " bytes)");
        }

    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            problems.write(response, HttpStatus.CONTENT_TOO_LARGE, new TooLarge(maxBytes).getMessage());
            return;
        }
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;

        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream(), maxBytes);
            }
            return limited;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream in;

        private final long maxBytes;

        private long read;

        LimitedInputStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                throw new TooLarge(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

    }

}
