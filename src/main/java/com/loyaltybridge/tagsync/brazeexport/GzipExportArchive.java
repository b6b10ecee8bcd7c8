package com.loyaltybridge.tagsync.brazeexport;

import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * A {@code .gz} export object: one entry, the concatenation of all its gzip members.
 * Commons Compress rather than {@code java.util.zip.GZIPInputStream}, which silently
 * ignores bytes after the last member: here they fail the object, since they mean it is
 * damaged or not what it claims to be.
 */
final class GzipExportArchive extends ExportArchive {

    private final GzipCompressorInputStream gzip;

    private boolean delivered;

    GzipExportArchive(StoredObject object, InputStream raw, DataSize maxUncompressedSize) throws IOException {
        super(object, maxUncompressedSize);
        this.gzip = GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
    }

    @Override
    protected @Nullable InputStream nextDecompressedEntry() {
        if (delivered) {
            return null;
        }
        delivered = true;
        return gzip;
    }

    @Override
    protected ExportFormat format() {
        return ExportFormat.GZIP;
    }

    @Override
    public void close() throws IOException {
        gzip.close();
    }

}
