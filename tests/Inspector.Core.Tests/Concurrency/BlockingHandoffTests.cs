using Inspector.Core.Concurrency;

namespace Inspector.Core.Tests.Concurrency;

public class BlockingHandoffTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Still waiting after a fifth of a second.</summary>
    private static async Task<bool> StillWaiting(Task task) => await Task.WhenAny(task, Task.Delay(200)) != task;

    [Fact]
    public void Items_cross_between_threads_in_order_through_a_small_queue()
    {
        var handoff = new BlockingHandoff<int>(3);
        var producer = new Thread(() =>
        {
            for (int i = 0; i < 20_000; i++) Assert.True(handoff.Add(i));
            handoff.CompleteAdding();
        });
        producer.Start();
        int expected = 0;
        while (handoff.Take(out int item)) Assert.Equal(expected++, item);
        Assert.True(producer.Join(Patience));
        Assert.Equal(20_000, expected);
    }

    [Fact]
    public async Task Add_waits_while_the_queue_is_full_until_an_item_is_taken()
    {
        var handoff = new BlockingHandoff<string>(1);
        Assert.True(handoff.Add("first"));
        Task<bool> second = Task.Run(() => handoff.Add("second"));
        Assert.True(await StillWaiting(second));
        Assert.True(handoff.TryTake(out string? first));
        Assert.Equal("first", first);
        Assert.True(await second.WaitAsync(Patience));
        Assert.True(handoff.Take(out string? next));
        Assert.Equal("second", next);
        Assert.False(handoff.TryTake(out _));
    }

    [Fact]
    public async Task Take_waits_for_an_item()
    {
        var handoff = new BlockingHandoff<int>(2);
        Task<int> taken = Task.Run(() => handoff.Take(out int item) ? item : -1);
        Assert.True(await StillWaiting(taken));
        handoff.Add(7);
        Assert.Equal(7, await taken.WaitAsync(Patience));
    }

    [Fact]
    public async Task Completing_hands_out_what_is_left_then_ends_waits_on_both_sides()
    {
        var handoff = new BlockingHandoff<int>(1);
        handoff.Add(1);
        Task<bool> blockedAdd = Task.Run(() => handoff.Add(2));
        Assert.True(await StillWaiting(blockedAdd));
        handoff.CompleteAdding();
        Assert.False(await blockedAdd.WaitAsync(Patience)); // given up, not queued
        Assert.True(handoff.IsAddingCompleted);
        Assert.True(handoff.Take(out int left));
        Assert.Equal(1, left);
        Assert.False(handoff.Take(out _));
        Assert.False(handoff.Add(3));

        var empty = new BlockingHandoff<int>(1);
        Task<bool> blockedTake = Task.Run(() => empty.Take(out _));
        Assert.True(await StillWaiting(blockedTake));
        empty.CompleteAdding();
        Assert.False(await blockedTake.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_waiting_consumer_sleeps_until_enough_items_wait_or_adding_completes()
    {
        var handoff = new BlockingHandoff<int>(8, wakeAt: 3);
        Task<int> taken = Task.Run(() => handoff.Take(out int item) ? item : -1);
        await Task.Delay(100); // the consumer is asleep
        handoff.Add(1);
        handoff.Add(2);
        Assert.True(await StillWaiting(taken));
        handoff.Add(3);
        Assert.Equal(1, await taken.WaitAsync(Patience));

        Assert.True(handoff.Take(out int two));
        Assert.True(handoff.Take(out int three));
        Assert.Equal((2, 3), (two, three));
        Task<int> last = Task.Run(() => handoff.Take(out int item) ? item : -1);
        await Task.Delay(100);
        handoff.Add(4);
        Assert.True(await StillWaiting(last));
        handoff.CompleteAdding(); // fewer than three, but nothing more is coming
        Assert.Equal(4, await last.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_polling_consumer_finds_an_item_no_one_woke_it_for()
    {
        var handoff = new BlockingHandoff<int>(4, wakeAt: 4, poll: TimeSpan.FromMilliseconds(5));
        Task<int> taken = Task.Run(() => handoff.Take(out int item) ? item : -1);
        await Task.Delay(100); // the consumer is asleep
        handoff.Add(9); // one item: no wake-up, the consumer looks by itself
        Assert.Equal(9, await taken.WaitAsync(Patience));

        var deaf = new BlockingHandoff<int>(4, wakeAt: 4); // no polling: it waits for the fourth
        Task<int> waiting = Task.Run(() => deaf.Take(out int item) ? item : -1);
        await Task.Delay(100);
        deaf.Add(9);
        Assert.True(await StillWaiting(waiting));
        deaf.CompleteAdding();
        Assert.Equal(9, await waiting.WaitAsync(Patience));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(4, 0)]
    [InlineData(4, 5)]
    public void A_capacity_below_one_or_a_wake_count_outside_it_is_refused(int capacity, int wakeAt) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlockingHandoff<int>(capacity, wakeAt));
}
