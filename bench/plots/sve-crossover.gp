# sve-crossover.gp - shadow-vs-ept: modeled cycles per access against the
# rate of guest page-table updates, native, shadow (classic and with
# KVM-style unsync page tables) and nested paging.
# Variables set by the harness: datafile ("x native shadow nested unsync"),
# outbase, plottitle.
set title plottitle
set xlabel "guest PTE writes per 1000 accesses (log scale)"
set ylabel "modeled cycles per access (log scale)"
set logscale x
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
	plot datafile using 1:3 with linespoints lw 2 title "shadow", \
	     datafile using 1:5 with linespoints lw 2 dt 3 title "shadow, unsync page tables", \
	     datafile using 1:4 with linespoints lw 2 title "nested (EPT)", \
	     datafile using 1:2 with linespoints lw 1 dt 2 title "native"
}
