/*
 * true.c - The smallest program: starts and exits 0.  Built static so that
 * its start-up involves no dynamic loader; the native baseline runs it.
 */
int main(void)
{
	return 0;
}
