using IpoeRouter.Linux.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.Io;

/// <summary>
/// <c>poll(2)</c> on up to three descriptors for reading, without allocating: how the data-path
/// threads block until a packet or a wake-up comes. Error and hang-up conditions count as ready (the
/// next read reports them).
/// </summary>
public static unsafe class Readiness
{
    /// <summary>Bit of the first descriptor in <see cref="Wait"/>'s result.</summary>
    public const int First = 1;

    /// <summary>Bit of the second descriptor.</summary>
    public const int Second = 2;

    /// <summary>Bit of the third descriptor.</summary>
    public const int Third = 4;

    /// <summary>
    /// Blocks until one of the descriptors is readable or <paramref name="timeoutMilliseconds"/>
    /// passes (-1: no limit) and returns the ready ones as bits (<see cref="First"/>,
    /// <see cref="Second"/>, <see cref="Third"/>); 0 on time-out. A negative descriptor is ignored.
    /// Interrupted waits (EINTR) are resumed; any other failure throws.
    /// </summary>
    public static int Wait(int first, int second, int third = -1, int timeoutMilliseconds = -1)
    {
        pollfd* fds = stackalloc pollfd[3];
        fds[0].fd = first;
        fds[1].fd = second;
        fds[2].fd = third;
        for (int i = 0; i < 3; i++)
        {
            fds[i].events = POLLIN;
            fds[i].revents = 0;
        }

        while (true)
        {
            int n = poll(fds, 3, timeoutMilliseconds);
            if (n >= 0)
            {
                int ready = 0;
                for (int i = 0; i < 3; i++)
                {
                    if (fds[i].revents != 0)
                    {
                        ready |= 1 << i;
                    }
                }

                return ready;
            }

            int e = errno;
            if (e != EINTR)
            {
                throw new SystemCallException("poll", e);
            }
        }
    }
}
