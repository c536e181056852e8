# sve-shadowmem.gp - shadow-vs-ept: memory of paging structures against the
# number of guest processes: shadow tables (one set per process), the
# guest's own tables, and the EPT (one per VM).
# Variables set by the harness: datafile ("procs shadow guest ept" lines,
# KiB), outbase, plottitle.
set title plottitle
set xlabel "guest processes (log scale)"
set ylabel "KiB (log scale)"
set logscale x 2
set logscale y
set grid
set key top left
do for [t in "pngcairo svg"] {
	if (t eq "pngcairo") {
		set terminal pngcairo size 900,560 noenhanced font "sans,10"
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic noenhanced font "sans,10"
		set output outbase.".svg"
	}
	plot datafile using 1:2 with linespoints lw 2 title "shadow tables (VMM)", \
	     datafile using 1:3 with linespoints lw 1 title "guest page tables", \
	     datafile using 1:4 with linespoints lw 2 title "EPT tables (VMM)"
}
