package io.guestloop.internal;

import java.util.Arrays;

/**
 * A binary min-heap of guest timers ordered by deadline then scheduling order. Each timer knows its
 * index, so removal of any timer is O(log n).
 *
 * <p><b>Threading:</b> not thread-safe; owned by one service thread.
 */
final class TimerHeap {

    private GuestTimer[] heap = new GuestTimer[16];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest timer, or null. */
    GuestTimer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(GuestTimer timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.index = size;
        size++;
        siftUp(timer.index);
    }

    /** Removes and returns the earliest timer, or null. */
    GuestTimer poll() {
        if (size == 0) {
            return null;
        }
        GuestTimer first = heap[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code timer} if it is in this heap; returns whether it was. */
    boolean remove(GuestTimer timer) {
        int i = timer.index;
        if (i < 0 || i >= size || heap[i] != timer) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Empties the heap, marking every timer as no longer pending. */
    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].index = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int i) {
        GuestTimer removed = heap[i];
        removed.index = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        GuestTimer last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.index = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    private void siftUp(int i) {
        GuestTimer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            GuestTimer p = heap[parent];
            if (!t.before(p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        GuestTimer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
