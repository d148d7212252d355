/*
 * minimal-b4: the yardstick for bench/dslite-throughput.sh. The simplest user-space DS-Lite B4 that
 * works: a TUN (IFF_TUN | IFF_NO_PI) and a raw IPv6 socket of protocol 4 bound to the B4's address
 * and connected to the AFTR, one blocking thread per direction, one read and one send per packet
 * (no batching, default socket buffers). Like the real pump it sets IPV6_PMTUDISC_DO, so neither
 * fragments. The TUN is configured (address, MTU, up, routes) by the caller once "ready" is printed.
 *
 *   minimal-b4 TUN-NAME LOCAL-IPV6 AFTR-IPV6
 *
 * Runs until killed; prints its packet counts on SIGTERM.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int tun_fd, raw_fd;
static volatile unsigned long up_packets, down_packets;

static void die(const char *what) { perror(what); exit(1); }

static void *upstream(void *arg) {          /* TUN -> AFTR */
    unsigned char buf[2048];
    (void)arg;
    for (;;) {
        ssize_t n = read(tun_fd, buf, sizeof buf);
        if (n <= 0 || (buf[0] >> 4) != 4) continue;
        if (send(raw_fd, buf, (size_t)n, 0) == n) up_packets++;
    }
    return NULL;
}

static void *downstream(void *arg) {        /* AFTR -> TUN (the connected socket hears only the AFTR) */
    unsigned char buf[2048];
    (void)arg;
    for (;;) {
        ssize_t n = recv(raw_fd, buf, sizeof buf, 0);
        if (n <= 0 || (buf[0] >> 4) != 4) continue;
        if (write(tun_fd, buf, (size_t)n) == n) down_packets++;
    }
    return NULL;
}

static void on_term(int sig) {
    char line[128];
    int len = snprintf(line, sizeof line, "minimal-b4: to AFTR %lu packets, from AFTR %lu packets\n", up_packets, down_packets);
    (void)sig;
    if (write(1, line, (size_t)len) < 0) _exit(1);
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s TUN LOCAL-IPV6 AFTR-IPV6\n", argv[0]); return 2; }

    if ((tun_fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) < 0) die("open /dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
    if (ioctl(tun_fd, TUNSETIFF, &ifr) < 0) die("TUNSETIFF");

    struct sockaddr_in6 local = { .sin6_family = AF_INET6 }, aftr = { .sin6_family = AF_INET6 };
    if (inet_pton(AF_INET6, argv[2], &local.sin6_addr) != 1 || inet_pton(AF_INET6, argv[3], &aftr.sin6_addr) != 1) {
        fprintf(stderr, "bad IPv6 address\n");
        return 2;
    }
    if ((raw_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_IPIP)) < 0) die("socket");
    int pmtu = IPV6_PMTUDISC_DO;
    if (setsockopt(raw_fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &pmtu, sizeof pmtu) < 0) die("IPV6_MTU_DISCOVER");
    if (bind(raw_fd, (struct sockaddr *)&local, sizeof local) < 0) die("bind");
    if (connect(raw_fd, (struct sockaddr *)&aftr, sizeof aftr) < 0) die("connect");

    signal(SIGTERM, on_term);
    pthread_t up, down;
    if (pthread_create(&up, NULL, upstream, NULL) || pthread_create(&down, NULL, downstream, NULL)) die("pthread_create");
    printf("ready minimal-b4 %s\n", ifr.ifr_name);
    fflush(stdout);
    pthread_join(up, NULL);
    return 0;
}
