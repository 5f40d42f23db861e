package dev.corral.zk.wire;

import java.util.Optional;

/**
 * ZooKeeper's four-letter-word commands ({@code echo ruok | nc host 2181}). On a fresh connection ZooKeeper reads
 * the first four bytes as the length of the first frame; if, read as a big-endian int, they spell a known word, it
 * runs that command instead, writes the answer and closes the connection. Read as a length, every word is negative
 * or at least 0x63000000 (1.6 GB), far above any frame limit, so a client's {@link ConnectRequest} can never be
 * mistaken for one.
 *
 * <p>This says only which word it is; the server decides which words it answers (ZooKeeper answers only those in
 * {@code 4lw.commands.whitelist}, by default {@code srvr}). {@link #STMK} is followed by an eight-byte trace
 * mask, which {@link FrameDecoder} does not collect.
 */
public enum FourLetterWord {
    CONF("conf"),
    CONS("cons"),
    CRST("crst"),
    DIRS("dirs"),
    DUMP("dump"),
    ENVI("envi"),
    GTMK("gtmk"),
    HASH("hash"),
    ISRO("isro"),
    MNTR("mntr"),
    RUOK("ruok"),
    SRST("srst"),
    SRVR("srvr"),
    STAT("stat"),
    STMK("stmk"),
    WCHC("wchc"),
    WCHP("wchp"),
    WCHS("wchs"),
    /**
     * Not a word: the bytes telnet sends for Ctrl-C (IAC IP IAC DO TIMING-MARK, 0xfff4fffd), which ZooKeeper
     * lists among its commands and answers by closing the connection.
     */
    TELNET_CLOSE(0xfff4fffd, "telnet close");

    private final int code;
    private final String word;

    FourLetterWord(String word) {
        this(word.charAt(0) << 24 | word.charAt(1) << 16 | word.charAt(2) << 8 | word.charAt(3), word);
    }

    FourLetterWord(int code, String word) {
        this.code = code;
        this.word = word;
    }

    /** The first four bytes of a connection read as a big-endian int, as ZooKeeper reads them. */
    public int code() {
        return code;
    }

    public String word() {
        return word;
    }

    /** The command whose code is {@code firstInt}, if any. */
    public static Optional<FourLetterWord> of(int firstInt) {
        for (FourLetterWord w : values()) {
            if (w.code == firstInt) return Optional.of(w);
        }
        return Optional.empty();
    }

    /** The command spelled by the four bytes of {@code bytes} from {@code offset}, if any. */
    public static Optional<FourLetterWord> of(byte[] bytes, int offset) {
        if (offset < 0 || offset > bytes.length - 4) return Optional.empty();
        return of((bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8
                | bytes[offset + 3] & 0xff);
    }
}
