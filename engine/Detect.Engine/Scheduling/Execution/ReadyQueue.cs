namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// Tasks whose requirements are complete, in the order they should start: higher priority first, then the order
/// they became known (today every task has priority 0, so: plan order; a task priority slots in here). Tasks are
/// kept in one queue per resource need (e.g. none, <c>gpu=1</c>), so when a resource is taken the next task that
/// needs something else starts at once, without scanning the tasks that wait for it.
/// </summary>
internal sealed class ReadyQueue<T> where T : class
{
    private readonly Dictionary<string, PriorityQueue<T, (int Priority, long Sequence)>> _byNeed = new(StringComparer.Ordinal);
    private int _count;

    public int Count => _count;

    /// <param name="need">What the task needs to start, as text (equal text = equal need).</param>
    /// <param name="priority">Higher starts first.</param>
    public void Enqueue(T item, string need, int priority, long sequence)
    {
        if (!_byNeed.TryGetValue(need, out var queue)) _byNeed[need] = queue = new();
        queue.Enqueue(item, (-priority, sequence));
        _count++;
    }

    /// <summary>
    /// Removes and returns the first task (by priority and order) among those whose need <paramref name="canStart"/>
    /// grants; null when none can start. <paramref name="canStart"/> is asked once per distinct need at most. Tasks
    /// that <paramref name="gone"/> says are no longer ready (finished meanwhile) are dropped on the way.
    /// </summary>
    public T? TakeFirst(Func<T, bool> canStart, Func<T, bool>? gone = null)
    {
        List<PriorityQueue<T, (int, long)>>? refused = null;
        while (true)
        {
            PriorityQueue<T, (int, long)>? best = null;
            (int, long) bestOrder = default;
            foreach (var queue in _byNeed.Values)
            {
                if (refused?.Contains(queue) == true) continue;
                while (gone is not null && queue.TryPeek(out var head, out _) && gone(head)) { queue.Dequeue(); _count--; }
                if (!queue.TryPeek(out _, out var order)) continue;
                if (best is null || order.CompareTo(bestOrder) < 0) { best = queue; bestOrder = order; }
            }
            if (best is null) return null;
            if (canStart(best.Peek()))
            {
                _count--;
                return best.Dequeue();
            }
            (refused ??= []).Add(best);
        }
    }

    public IEnumerable<T> DrainAll()
    {
        foreach (var queue in _byNeed.Values)
            while (queue.TryDequeue(out var item, out _)) yield return item;
        _count = 0;
    }
}
