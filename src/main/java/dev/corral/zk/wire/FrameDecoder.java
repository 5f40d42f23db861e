package dev.corral.zk.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Cuts the byte stream of one client connection into frames: a four-byte big-endian length, then that many bytes.
 * Chunks may be split anywhere, down to one byte at a time; each complete frame is handed on, without its length
 * prefix, as soon as its last byte arrives.
 *
 * <p><b>Limits.</b> A length below zero or above {@code frameBytesMax} fails with {@link ZkWireException} as soon
 * as its fourth byte arrives, before anything is allocated for it. ZooKeeper refuses a frame longer than
 * {@code jute.maxbuffer}, 1,048,575 bytes ({@code 0xfffff}) by default; the default here,
 * {@link #FRAME_BYTES_MAX_DEFAULT}, is 1 MiB + 1 KiB, so that a {@code setData} of Corral's default largest
 * data (1 MiB) still fits with its header, path and version. A server should derive its limit from its data limit.
 * The buffer of a partial frame grows with the bytes that actually arrive (doubling, up to the announced length),
 * so a client that announces a large frame and sends nothing costs nothing: the decoder holds at most one frame
 * (at most {@code frameBytesMax}) and keeps no reference to the chunks it is fed.
 *
 * <p><b>Four-letter words.</b> Made with {@code fourLetterWords} true, the decoder checks the first four bytes
 * of the stream as ZooKeeper does: if they spell a {@link FourLetterWord}, no frame is decoded, the word is
 * reported by {@link #fourLetterWord()}, and every byte fed after it is ignored (the server answers and closes).
 *
 * <p><b>Failure.</b> After a {@link ZkWireException} the stream has no frame boundaries any more; the decoder
 * stays failed and throws again on every feed. Not thread-safe: one decoder per connection, fed in order.
 */
public final class FrameDecoder {
    /** 1 MiB + 1 KiB: Corral's default largest znode data and room for the rest of a request. */
    public static final int FRAME_BYTES_MAX_DEFAULT = (1 << 20) + 1024;
    /** First capacity of a partial frame's buffer, unless the frame or the bytes at hand are larger. */
    private static final int GROWTH_START_BYTES = 4096;

    private final int frameBytesMax;
    private final boolean fourLetterWords;
    private final byte[] prefix = new byte[FrameEncoder.PREFIX_BYTES];
    private int prefixFilled;
    /** The frame being filled, null while reading a prefix; its capacity is at most {@link #frameLength}. */
    private byte[] frame;
    private int frameLength;
    private int frameFilled;
    private long framesDecoded;
    private FourLetterWord word;
    private ZkWireException failure;

    /** A decoder with {@link #FRAME_BYTES_MAX_DEFAULT} that recognises four-letter words. */
    public FrameDecoder() {
        this(FRAME_BYTES_MAX_DEFAULT, true);
    }

    public FrameDecoder(int frameBytesMax, boolean fourLetterWords) {
        if (frameBytesMax < 0) throw new IllegalArgumentException("frameBytesMax " + frameBytesMax);
        this.frameBytesMax = frameBytesMax;
        this.fourLetterWords = fourLetterWords;
    }

    /** Feeds {@code chunk} entirely and returns the frames it completed, in order. */
    public List<byte[]> feed(byte[] chunk) {
        List<byte[]> frames = new ArrayList<>(1);
        feed(chunk, 0, chunk.length, frames::add);
        return frames;
    }

    /**
     * Feeds {@code length} bytes of {@code chunk} from {@code offset}, handing each completed frame to
     * {@code sink} at once; frames completed before a failure have been handed on when it is thrown. The decoder
     * keeps no reference to {@code chunk}.
     */
    public void feed(byte[] chunk, int offset, int length, Consumer<byte[]> sink) {
        if (offset < 0 || length < 0 || offset > chunk.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a chunk of "
                    + chunk.length);
        }
        if (failure != null) throw new ZkWireException("stream failed earlier: " + failure.getMessage());
        int p = offset;
        int end = offset + length;
        while (p < end && word == null) {
            if (frame == null) {
                int n = Math.min(prefix.length - prefixFilled, end - p);
                System.arraycopy(chunk, p, prefix, prefixFilled, n);
                prefixFilled += n;
                p += n;
                if (prefixFilled == prefix.length) startFrame(end - p, sink);
            } else {
                int n = Math.min(frameLength - frameFilled, end - p);
                ensureCapacity(frameFilled + n);
                System.arraycopy(chunk, p, frame, frameFilled, n);
                frameFilled += n;
                p += n;
                if (frameFilled == frameLength) finishFrame(sink);
            }
        }
    }

    private void startFrame(int available, Consumer<byte[]> sink) {
        prefixFilled = 0;
        int length = (prefix[0] & 0xff) << 24 | (prefix[1] & 0xff) << 16 | (prefix[2] & 0xff) << 8 | prefix[3] & 0xff;
        if (framesDecoded == 0 && fourLetterWords) {
            Optional<FourLetterWord> w = FourLetterWord.of(length);
            if (w.isPresent()) {
                word = w.get();
                return;
            }
        }
        if (length < 0 || length > frameBytesMax) {
            failure = new ZkWireException("frame length " + length + " is outside 0.." + frameBytesMax
                    + " (after " + framesDecoded + " frames)");
            throw failure;
        }
        frameLength = length;
        frameFilled = 0;
        frame = new byte[Math.min(length, Math.max(GROWTH_START_BYTES, available))];
        if (length == 0) finishFrame(sink);
    }

    private void ensureCapacity(int needed) {
        if (needed <= frame.length) return;
        int capacity = (int) Math.min(frameLength, Math.max((long) frame.length * 2, needed));
        byte[] grown = new byte[capacity];
        System.arraycopy(frame, 0, grown, 0, frameFilled);
        frame = grown;
    }

    private void finishFrame(Consumer<byte[]> sink) {
        byte[] done = frame;
        frame = null;
        framesDecoded++;
        sink.accept(done);
    }

    /** The four-letter word the stream began with, if the decoder looks for them and it did. */
    public Optional<FourLetterWord> fourLetterWord() {
        return Optional.ofNullable(word);
    }

    /** Bytes of the partial frame (and prefix) held now: what this decoder costs between feeds. */
    public int bufferedBytes() {
        return prefixFilled + (frame == null ? 0 : frame.length);
    }

    /** Frames completed so far. */
    public long framesDecoded() {
        return framesDecoded;
    }

    public int frameBytesMax() {
        return frameBytesMax;
    }
}
