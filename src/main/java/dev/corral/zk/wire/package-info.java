/**
 * ZooKeeper's client wire protocol (as spoken by 3.9 clients), as a pure codec: bytes in, records out, and back.
 * No sockets, threads or clocks; the TCP server around it feeds bytes and writes bytes.
 *
 * <h2>The stream</h2>
 * <pre>
 *   stream   := frame*                          (or a four-letter word in the first four bytes, see FourLetterWord)
 *   frame    := i32 length, length bytes        (FrameDecoder, FrameEncoder)
 *
 *   client → server                             server → client
 *   first:  ConnectRequest                      first:  ConnectResponse
 *   then:   RequestHeader(xid, type) body?      then:   ReplyHeader(xid, zxid, err) body?   a reply
 *                                                       ReplyHeader(-1, zxid, 0) WatcherEvent  a notification
 * </pre>
 * Integers are big-endian; a boolean is one byte; buffers, strings and vectors carry an i32 length or count, -1
 * for null. Which body goes with which opcode: {@link dev.corral.zk.wire.ZkRequest} for requests and each
 * response record's comment for replies. A multi is a sequence of {@link dev.corral.zk.wire.MultiHeader}s with
 * bodies, ended by a header whose {@code done} is true.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Every length and count is checked against the bytes that remain before anything is allocated, and every
 *       malformed input fails with {@link dev.corral.zk.wire.ZkWireException} and nothing else.
 *   <li>Frames are limited to {@link dev.corral.zk.wire.FrameDecoder#FRAME_BYTES_MAX_DEFAULT} (1 MiB + 1 KiB) unless
 *       the server says otherwise; ZooKeeper's limit is {@code jute.maxbuffer}, 1,048,575 bytes.
 *   <li>Bytes after a request body are ignored, as ZooKeeper ignores them; a multi holds at most
 *       {@link dev.corral.zk.wire.ZkRequests#MULTI_OPS_MAX_DEFAULT} operations.
 *   <li>Strings are written as ZooKeeper's Java code writes them (CESU-8 outside the Basic Multilingual Plane)
 *       and read in either form; see {@link dev.corral.zk.wire.JuteReader#readString}.
 * </ul>
 * The tests hold every record to ZooKeeper 3.9.5's own classes, byte for byte, and run a real client and server
 * through the codec.
 */
package dev.corral.zk.wire;
