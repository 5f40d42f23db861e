package dev.corral.consensus;

/**
 * A double-ended run of log entries, indexed from the front, as a ring buffer: the log adds at the back,
 * forgets at the front after every apply and truncates at the back, each in O(1) per entry, where a list
 * would shift every held entry each time it forgets the oldest.
 */
final class EntryWindow {
    private Entry[] ring = new Entry[16];
    private int head;
    private int size;

    int size() {
        return size;
    }

    Entry get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("entry " + i + " of " + size);
        return ring[(head + i) & (ring.length - 1)];
    }

    void addLast(Entry e) {
        if (size == ring.length) grow();
        ring[(head + size) & (ring.length - 1)] = e;
        size++;
    }

    Entry removeFirst() {
        if (size == 0) throw new IllegalStateException("no entry to remove");
        Entry e = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        shrinkIfSparse();
        return e;
    }

    void removeLast(int n) {
        if (n < 0 || n > size) throw new IllegalArgumentException("cannot remove " + n + " of " + size + " entries");
        for (int k = 0; k < n; k++) {
            size--;
            ring[(head + size) & (ring.length - 1)] = null;
        }
        shrinkIfSparse();
    }

    void clear() {
        ring = new Entry[16];
        head = 0;
        size = 0;
    }

    private void grow() {
        ring = copy(ring.length * 2);
    }

    /** Gives memory back once the window is a small part of its array, so a burst leaves no lasting array behind. */
    private void shrinkIfSparse() {
        if (ring.length > 64 && size < ring.length / 8) ring = copy(ring.length / 4);
    }

    private Entry[] copy(int capacity) {
        Entry[] next = new Entry[capacity];
        for (int i = 0; i < size; i++) next[i] = ring[(head + i) & (ring.length - 1)];
        head = 0;
        return next;
    }
}
